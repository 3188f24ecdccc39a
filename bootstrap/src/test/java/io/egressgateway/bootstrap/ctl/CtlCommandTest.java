package io.egressgateway.bootstrap.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.bootstrap.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ctl command line without a cluster: help everywhere, usage errors exit 2, an unusable kubeconfig exits 1. */
class CtlCommandTest {
    private record Result(int status, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(status, out.toString(), err.toString());
    }

    @Test
    void everyCommandHasHelp() {
        assertThat(run("ctl", "--help").out()).contains("explain", "status", "move-eip", "Exit codes");
        assertThat(run("ctl", "explain", "pod", "--help").out()).contains("NS/NAME", "--to", "--output");
        assertThat(run("ctl", "status", "--help").out()).contains("--output", "heartbeat age");
        assertThat(run("ctl", "move-eip", "--help").out()).contains("GATEWAY", "EIP", "--to", "--timeout", "5 refused");
        assertThat(run("ctl", "move-eip", "--help").status()).isZero();
    }

    @Test
    void usageErrorsExitTwoAndSayWhatWasWrong() {
        Result noName = run("ctl", "explain", "pod", "shop-1");
        assertThat(noName.status()).isEqualTo(CtlExit.USAGE);
        assertThat(noName.err()).contains("NS/NAME: expected namespace/name, got 'shop-1'");
        assertThat(run("ctl", "explain", "pod", "default/shop-1", "--to", "10.0.0.300").err()).contains("--to:");
        assertThat(run("ctl", "explain", "pod", "default/shop-1", "--to", "10.0.0.1:70000").err())
                .contains("has no valid port (1-65535)");
        assertThat(run("ctl", "status", "-o", "xml").status()).isEqualTo(CtlExit.USAGE);
        assertThat(run("ctl", "move-eip", "default", "10.6.1.55").err()).contains("--to");
        assertThat(run("ctl").status()).isEqualTo(CtlExit.USAGE);
    }

    @Test
    void aMissingKubeconfigIsAnApiErrorOnOneLine(@TempDir Path dir) {
        Result r = run("ctl", "status", "--kubeconfig", dir.resolve("none").toString());
        assertThat(r.status()).isEqualTo(CtlExit.API_ERROR);
        assertThat(r.err()).isEqualTo("egressgateway ctl: kubeconfig " + dir.resolve("none")
                + " does not exist or is not readable" + System.lineSeparator());
    }

    @Test
    void jsonAndYamlPrintTheResultRecordsFieldByField() {
        var v = new io.egressgateway.application.port.in.EgressStatusView(java.util.List.of(), java.util.List.of(
                new io.egressgateway.application.port.in.EgressStatusView.PolicyLine("shop", 0, "default", "192.0.2.200",
                        null, "node2", 1, "3/3 nodes", "True")), java.util.List.of());
        assertThat(CtlOutput.yaml.render(v)).contains("gateways: []", "- name: \"shop\"", "eipV4: \"192.0.2.200\"",
                "eipV6: null");
        assertThat(CtlOutput.json.render(v)).contains("\"node\" : \"node2\"", "\"programmed\" : \"3/3 nodes\"");
    }
}
