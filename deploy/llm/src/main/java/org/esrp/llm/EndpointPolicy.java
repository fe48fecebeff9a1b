package org.esrp.llm;

import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.common.problem.ApiException;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Where LLM calls may go and which secrets they may carry, as the operator set it: a key only from an environment
 * variable on {@code <prefix>.api-key-env-allowed}; https only, except hosts on
 * {@code <prefix>.endpoint-hosts-allowed}, which are also the only ones that may be loopback or private
 * addresses; link-local addresses (cloud metadata services) never. Checked when settings are stored and again before
 * every call, when the host's addresses are known.
 */
@ApplicationScoped
public class EndpointPolicy {

    // checked before every call: compiled once
    private static final Pattern IPV4_LITERAL = Pattern.compile("[0-9.]+");
    private static final Pattern IPV6_BRACKETS = Pattern.compile("^\\[|]$");

    private final Set<String> keyVariables;
    private final Set<String> hosts;

    private final String keyProperty;
    private final String hostProperty;

    public EndpointPolicy(LlmPolicy policy) {
        this.keyVariables = policy.apiKeyEnvAllowed();
        this.keyProperty = policy.property("api-key-env-allowed");
        this.hostProperty = policy.property("endpoint-hosts-allowed");
        this.hosts = policy.endpointHostsAllowed().stream()
                .map(h -> h.strip().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    /** Refuses settings that break the policy, naming the field under {@code prefix} (e.g. {@code llm}). */
    public void check(LlmSettings settings, String prefix) {
        if (settings.apiKeyEnv != null && !keyVariables.contains(settings.apiKeyEnv)) {
            throw ApiException.badRequest(prefix + ".apiKeyEnv", keyVariables.isEmpty()
                    ? "no environment variable may hold an LLM key here: the operator has set none (" + keyProperty + ")"
                    : "must be one of " + keyVariables.stream().sorted().toList() + " (" + keyProperty + ")");
        }
        String refusal = refusal(settings.baseUrl, false);
        if (refusal != null) {
            throw ApiException.badRequest(prefix + ".baseUrl", refusal);
        }
    }

    /** Before a call: the same rules, with the host's addresses resolved. */
    public void checkCall(LlmSettings settings) {
        if (settings.apiKeyEnv != null && !keyVariables.contains(settings.apiKeyEnv)) {
            throw new LlmCallException(403, null, "environment variable " + settings.apiKeyEnv + " is not on " + keyProperty);
        }
        String refusal = refusal(settings.baseUrl, true);
        if (refusal != null) {
            throw new LlmCallException(403, null, "endpoint refused: " + refusal);
        }
    }

    private String refusal(String baseUrl, boolean resolve) {
        URI uri;
        try {
            uri = URI.create(baseUrl);
        } catch (IllegalArgumentException e) {
            return "must be an http(s) URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT);
        if (host == null || !(scheme.equals("https") || scheme.equals("http")) || uri.getUserInfo() != null) {
            return "must be an http(s) URL with a host and no user info";
        }
        if (host.equals("metadata.google.internal") || host.equals("metadata")) {
            return "must not be a metadata service";
        }
        boolean allowed = hosts.contains(host);
        if (scheme.equals("http") && !allowed) {
            return "must be https (http only for hosts on " + hostProperty + ")";
        }
        InetAddress[] addresses;
        try {
            boolean literal = IPV4_LITERAL.matcher(host).matches() || host.startsWith("[");
            addresses = literal || resolve ? InetAddress.getAllByName(IPV6_BRACKETS.matcher(host).replaceAll("")) : new InetAddress[0];
        } catch (UnknownHostException e) {
            return resolve ? "host " + host + " does not resolve" : null;
        }
        for (InetAddress address : addresses) {
            if (address.isLinkLocalAddress() || isMetadata(address)) {
                return "must not be a link-local or metadata address (" + address.getHostAddress() + ")";
            }
            boolean internal = address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isAnyLocalAddress()
                    || address.isMulticastAddress() || isUniqueLocal(address);
            if (internal && !allowed) {
                return "must not be an internal address (" + address.getHostAddress()
                        + ") unless its host is on " + hostProperty;
            }
        }
        return null;
    }

    // Alibaba's metadata service and AWS's IPv6 one are not link-local by address class.
    private static boolean isMetadata(InetAddress address) {
        String a = address.getHostAddress();
        return a.equals("100.100.100.200") || a.startsWith("fd00:ec2:");
    }

    private static boolean isUniqueLocal(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc;
    }
}
