{{/*
Chart name, overridable with nameOverride.
*/}}
{{- define "esrp.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified release name (63 characters at most: DNS label limit).
*/}}
{{- define "esrp.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart name and version, for the helm.sh/chart label.
*/}}
{{- define "esrp.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Release-wide labels.
*/}}
{{- define "esrp.selectorLabels" -}}
app.kubernetes.io/name: {{ include "esrp.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "esrp.labels" -}}
helm.sh/chart: {{ include "esrp.chart" . }}
{{ include "esrp.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: esrp
{{- end }}

{{/*
Name of the ConfigMap holding the common settings.
*/}}
{{- define "esrp.configMapName" -}}
{{- printf "%s-common" (include "esrp.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Per-service helpers. They take a dict: root (the top-level context), key (the entry name under
.Values.services: generation, annotation, metrics) and svc (that entry).
*/}}
{{- define "esrp.component.name" -}}
{{- .svc.name | default (printf "%s-service" .key) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "esrp.component.fullname" -}}
{{- printf "%s-%s" (include "esrp.fullname" .root) (include "esrp.component.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "esrp.component.selectorLabels" -}}
{{ include "esrp.selectorLabels" .root }}
app.kubernetes.io/component: {{ include "esrp.component.name" . }}
{{- end }}

{{- define "esrp.component.labels" -}}
{{ include "esrp.labels" .root }}
app.kubernetes.io/component: {{ include "esrp.component.name" . }}
{{- end }}

{{- define "esrp.component.image" -}}
{{- $image := .svc.image | default dict }}
{{- $repository := required (printf "services.%s.image.repository is required" .key) $image.repository }}
{{- printf "%s:%s" $repository (toString ($image.tag | default .root.Chart.AppVersion)) }}
{{- end }}
