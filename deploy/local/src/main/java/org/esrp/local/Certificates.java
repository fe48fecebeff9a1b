package org.esrp.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority of its own and a server certificate it signed for 127.0.0.1, made with the JDK's keytool,
 * for a broker that serves TLS as a production cluster does: the server's key and chain in a PKCS12 keystore, the CA
 * as the PEM file clients trust (as Strimzi's {@code <cluster>-cluster-ca-cert} Secret holds it under {@code ca.crt}).
 */
public record Certificates(Path caPem, Path serverKeystore, String password) {

    /** Makes them in {@code dir}, valid for two days. */
    public static Certificates make(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        String password = "esrp-" + Long.toHexString(System.nanoTime());
        Path ca = dir.resolve("ca.p12");
        Path caPem = dir.resolve("ca.crt");
        Path server = dir.resolve("server.p12");
        Path request = dir.resolve("server.csr");
        Path signed = dir.resolve("server.crt");
        String store = "-storepass";
        keytool(dir, "-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=esrp-local-ca",
                "-ext", "bc:c", "-validity", "2", "-storetype", "PKCS12", "-keystore", ca.toString(), store, password);
        keytool(dir, "-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), store, password, "-file", caPem.toString());
        keytool(dir, "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", server.toString(), store, password);
        keytool(dir, "-certreq", "-alias", "server", "-keystore", server.toString(), store, password, "-file", request.toString());
        keytool(dir, "-gencert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), store, password, "-infile", request.toString(),
                "-outfile", signed.toString(), "-ext", "san=ip:127.0.0.1", "-validity", "2");
        keytool(dir, "-importcert", "-noprompt", "-alias", "ca", "-keystore", server.toString(), store, password, "-file", caPem.toString());
        keytool(dir, "-importcert", "-alias", "server", "-keystore", server.toString(), store, password, "-file", signed.toString());
        return new Certificates(caPem, server, password);
    }

    private static void keytool(Path dir, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(arguments));
        Path log = dir.resolve("keytool.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool " + arguments[0] + " failed; see " + log);
        }
    }
}
