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

{{/*
Kafka: whether the brokers' listener speaks TLS, and whether its clients log in with SASL ("true" or "false").
*/}}
{{- define "esrp.kafka.tls" -}}
{{- has (.Values.common.kafka.securityProtocol | default "PLAINTEXT") (list "SSL" "SASL_SSL") }}
{{- end }}

{{- define "esrp.kafka.sasl" -}}
{{- has (.Values.common.kafka.securityProtocol | default "PLAINTEXT") (list "SASL_SSL" "SASL_PLAINTEXT") }}
{{- end }}

{{/*
An environment variable read from a Secret; takes a dict: name, secretName, secretKey.
*/}}
{{- define "esrp.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .secretName }}
      key: {{ .secretKey }}
{{- end }}

{{/*
The files a service container reads from Secrets (certificates and keystores), as YAML: purpose -> {volume, secretName,
key, dir, file}. The Deployment mounts each and the environment points at its file, so both come from this one place.
*/}}
{{- define "esrp.component.secretFiles" -}}
{{- $kafka := .root.Values.common.kafka }}
{{- $protocol := $kafka.securityProtocol | default "PLAINTEXT" }}
{{- $tls := eq (include "esrp.kafka.tls" .root) "true" }}
{{- $files := dict }}
{{- with ($kafka.tls | default dict).caSecret }}
{{- if not $tls }}
{{- fail (printf "common.kafka.tls.caSecret is set, but common.kafka.securityProtocol %s does not use TLS (SSL or SASL_SSL)" $protocol) }}
{{- end }}
{{- $_ := set $files "kafkaCa" (dict "volume" "kafka-ca" "dir" "/etc/esrp/kafka-ca" "key" (.secretKey | default "ca.crt")
      "secretName" (required "common.kafka.tls.caSecret.secretName is required" .secretName)) }}
{{- end }}
{{- with (.svc.kafka | default dict).tlsUserSecret }}
{{- if not $tls }}
{{- fail (printf "services.%s.kafka.tlsUserSecret is set, but common.kafka.securityProtocol %s does not use TLS (SSL or SASL_SSL)" $.key $protocol) }}
{{- end }}
{{- $_ := set $files "kafkaUser" (dict "volume" "kafka-user" "dir" "/etc/esrp/kafka-user" "key" "user.p12"
      "secretName" (required (printf "services.%s.kafka.tlsUserSecret.secretName is required" $.key) .secretName)) }}
{{- end }}
{{- if .svc.database }}
{{- $dbTls := .root.Values.common.database.tls | default dict }}
{{- with $dbTls.caSecret }}
{{- if eq ($dbTls.sslMode | default "disable") "disable" }}
{{- fail "common.database.tls.caSecret is set, but common.database.tls.sslMode is disable" }}
{{- end }}
{{- $_ := set $files "databaseCa" (dict "volume" "db-ca" "dir" "/etc/esrp/db-ca" "key" (.secretKey | default "ca.crt")
      "secretName" (required "common.database.tls.caSecret.secretName is required" .secretName)) }}
{{- end }}
{{- end }}
{{- range $purpose, $file := $files }}
{{- $_ := set $file "file" (printf "%s/%s" $file.dir $file.key) }}
{{- end }}
{{- toYaml $files }}
{{- end }}

{{/*
The datasource variables of a service with a database, as YAML (name -> value); takes the component dict plus files
(esrp.component.secretFiles). TLS goes to the reactive client as its own settings and to the JDBC URL (Flyway) as
sslmode and sslrootcert; the reactive URL carries only common.database.parameters, since the reactive client would send
an unknown parameter such as sslrootcert to the server as a setting.
*/}}
{{- define "esrp.component.datasourceEnv" -}}
{{- $commonDb := .root.Values.common.database }}
{{- $db := .svc.database }}
{{- $host := "$(ESRP_DATABASE_HOST)" }}
{{- $port := "$(ESRP_DATABASE_PORT)" }}
{{- if $db.host }}
{{- $host = $db.host }}
{{- $port = toString ($db.port | default $commonDb.port | default 5432) }}
{{- end }}
{{- $address := printf "%s:%s/%s" $host $port ($db.name | default .key) }}
{{- $parameters := $commonDb.parameters | default "" | trimPrefix "?" | trimPrefix "&" }}
{{- $jdbcParameters := compact (list $parameters) }}
{{- $username := required (printf "services.%s.database.username or common.database.username is required" .key) ($db.username | default $commonDb.username) }}
{{- $env := dict "QUARKUS_DATASOURCE_USERNAME" (toString $username) }}
{{- $tls := $commonDb.tls | default dict }}
{{- $mode := $tls.sslMode | default "disable" }}
{{- if ne $mode "disable" }}
{{- if regexMatch "(^|&)(sslmode|sslrootcert)=" $parameters }}
{{- fail "common.database.parameters sets sslmode or sslrootcert: with common.database.tls.sslMode set, the chart sets them" }}
{{- end }}
{{- $_ := set $env "QUARKUS_DATASOURCE_REACTIVE_POSTGRESQL_SSL_MODE" $mode }}
{{- $jdbcParameters = append $jdbcParameters (printf "sslmode=%s" $mode) }}
{{- with .files.databaseCa }}
{{- $_ := set $env "QUARKUS_DATASOURCE_REACTIVE_TRUST_CERTIFICATE_PEM" "true" }}
{{- $_ := set $env "QUARKUS_DATASOURCE_REACTIVE_TRUST_CERTIFICATE_PEM_CERTS" .file }}
{{- $jdbcParameters = append $jdbcParameters (printf "sslrootcert=%s" .file) }}
{{- else }}
{{- if ne $mode "require" }}
{{- fail (printf "common.database.tls.caSecret is required for sslMode %s: the server's certificate is checked against that CA" $mode) }}
{{- end }}
{{- /* require: encrypted, the server not checked, as PostgreSQL's sslmode=require means (and the JDBC driver does). */}}
{{- $_ := set $env "QUARKUS_DATASOURCE_REACTIVE_TRUST_ALL" "true" }}
{{- end }}
{{- if eq $mode "verify-full" }}
{{- $_ := set $env "QUARKUS_DATASOURCE_REACTIVE_HOSTNAME_VERIFICATION_ALGORITHM" "HTTPS" }}
{{- end }}
{{- end }}
{{- $_ := set $env "QUARKUS_DATASOURCE_REACTIVE_URL" (printf "postgresql://%s%s" $address (include "esrp.query" (compact (list $parameters)))) }}
{{- $_ := set $env "QUARKUS_DATASOURCE_JDBC_URL" (printf "jdbc:postgresql://%s%s" $address (include "esrp.query" $jdbcParameters)) }}
{{- toYaml $env }}
{{- end }}

{{/*
A URL's query string from a list of "name=value" parts: empty, or "?" and the parts joined by "&".
*/}}
{{- define "esrp.query" -}}
{{- if . }}?{{ join "&" . }}{{ end }}
{{- end }}

{{/*
A service's plain environment variables, as YAML (name -> value); takes the component dict plus files. services.<key>.env
wins over the chart's own.
*/}}
{{- define "esrp.component.plainEnv" -}}
{{- $env := dict "QUARKUS_HTTP_PORT" (toString .svc.port) }}
{{- if .svc.database }}
{{- $env = merge $env (include "esrp.component.datasourceEnv" . | fromYaml) }}
{{- end }}
{{- with .files.kafkaCa }}
{{- $_ := set $env "KAFKA_SSL_TRUSTSTORE_TYPE" "PEM" }}
{{- $_ := set $env "KAFKA_SSL_TRUSTSTORE_LOCATION" .file }}
{{- end }}
{{- with .files.kafkaUser }}
{{- $_ := set $env "KAFKA_SSL_KEYSTORE_TYPE" "PKCS12" }}
{{- $_ := set $env "KAFKA_SSL_KEYSTORE_LOCATION" .file }}
{{- end }}
{{- with .svc.peerAddressEnv }}
{{- $_ := set $env . (printf "$(ESRP_POD_IP):%v" $.svc.port) }}
{{- end }}
{{- range $name, $value := (.svc.env | default dict) }}
{{- $_ := set $env $name (toString $value) }}
{{- end }}
{{- toYaml $env }}
{{- end }}

{{/*
A service's variables read from Secrets, as a YAML list of EnvVar; takes the component dict.
*/}}
{{- define "esrp.component.secretEnv" -}}
{{- $key := .key }}
{{- $svc := .svc }}
{{- if $svc.database }}
{{- $secret := $svc.database.passwordSecret | default .root.Values.common.database.passwordSecret | default dict }}
{{ include "esrp.secretEnv" (dict "name" "QUARKUS_DATASOURCE_PASSWORD" "secretKey" ($secret.secretKey | default "password")
     "secretName" (required (printf "services.%s: database passwordSecret.secretName is required" $key) $secret.secretName)) }}
{{- end }}
{{- with $svc.adminTokenSecret }}
{{ include "esrp.secretEnv" (dict "name" "ESRP_ADMIN_TOKEN"
     "secretName" (required (printf "services.%s.adminTokenSecret.secretName is required" $key) .secretName)
     "secretKey" (required (printf "services.%s.adminTokenSecret.secretKey is required" $key) .secretKey)) }}
{{- end }}
{{- range $svc.llmApiKeySecretEnv }}
{{ include "esrp.secretEnv" (dict "name" (required (printf "services.%s.llmApiKeySecretEnv[].name is required" $key) .name)
     "secretName" (required (printf "services.%s.llmApiKeySecretEnv[].secretName is required" $key) .secretName)
     "secretKey" (required (printf "services.%s.llmApiKeySecretEnv[].secretKey is required" $key) .secretKey)) }}
{{- end }}
{{- $kafka := $svc.kafka | default dict }}
{{- $protocol := .root.Values.common.kafka.securityProtocol | default "PLAINTEXT" }}
{{- if eq (include "esrp.kafka.sasl" .root) "true" }}
{{- $jaas := $kafka.saslJaasConfigSecret | default dict }}
{{ include "esrp.secretEnv" (dict "name" "KAFKA_SASL_JAAS_CONFIG" "secretKey" ($jaas.secretKey | default "sasl.jaas.config")
     "secretName" (required (printf "services.%s.kafka.saslJaasConfigSecret.secretName is required: common.kafka.securityProtocol %s logs each service in as its own principal" $key $protocol) $jaas.secretName)) }}
{{- else if $kafka.saslJaasConfigSecret }}
{{- fail (printf "services.%s.kafka.saslJaasConfigSecret is set, but common.kafka.securityProtocol %s does not use SASL" $key $protocol) }}
{{- end }}
{{- with $kafka.tlsUserSecret }}
{{ include "esrp.secretEnv" (dict "name" "KAFKA_SSL_KEYSTORE_PASSWORD" "secretName" .secretName "secretKey" "user.password") }}
{{- end }}
{{- end }}
