package io.egressgateway.testbed.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.egressgateway.testbed.ProjectPaths;
import io.egressgateway.testbed.netns.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The project's own CRDs ({@code deploy/crds}) and examples ({@code deploy/examples}) through kubectl. */
class ProjectCrdsIT {

    @TempDir
    Path tmp;

    @Test
    void theExamplesApplyAndListWithThePrinterColumnsOfTheCrds() throws Exception {
        Path crds = ProjectPaths.find("deploy/crds");
        Path examples = ProjectPaths.find("deploy/examples");
        Assumptions.assumeTrue(crds != null && examples != null, "deploy/crds or deploy/examples not in this tree yet");
        Assumptions.assumeTrue(Kubectl.installed(), "kubectl is not installed");
        try (EmbeddedApiServer api = EmbeddedApiServer.start(0)) {
            assertThat(api.installCrds(crds)).contains("egressgateways.egressgateway.spidernet.io",
                    "egressgatewaypolicies.egressgateway.spidernet.io");
            Kubectl kubectl = new Kubectl(api.writeKubeconfig(tmp.resolve("kubeconfig")),
                    Files.createDirectories(tmp.resolve("cache")));

            ProcessRunner.Result apply = kubectl.run("apply", "--validate=false", "-f", examples.toString());
            assertThat(apply.exitCode()).as(apply.stderr()).isZero();

            ProcessRunner.Result get = kubectl.run("get", "-f", examples.toString());
            assertThat(get.exitCode()).as(get.stderr()).isZero();
            assertThat(kubectl.run("get", "egw").stdout()).contains("FORWARD").contains("NODES");
            assertThat(kubectl.run("get", "egwp").stdout()).contains("GATEWAY").contains("EIPV4");
        }
    }
}
