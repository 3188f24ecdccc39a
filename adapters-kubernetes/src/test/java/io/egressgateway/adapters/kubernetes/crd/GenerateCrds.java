package io.egressgateway.adapters.kubernetes.crd;

import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.File;
import java.util.List;

/**
 * Build step (exec-maven-plugin, phase process-test-classes): generates the CRDs into
 * target/classes/META-INF/fabric8/ with fabric8's CRDGenerator plus {@link PrinterColumnOrder}.
 * Replaces crd-generator-maven-plugin, which offers no post-processor. CrdYamlTest compares the
 * output with deploy/crds/.
 */
public final class GenerateCrds {
    static final List<Class<? extends HasMetadata>> CUSTOM_RESOURCES = List.of(EgressClusterInfo.class, EgressEndpointSlice.class,
            EgressGateway.class, EgressGatewayPolicy.class, EgressNode.class);

    private GenerateCrds() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: GenerateCrds <output directory>");
        }
        File out = new File(args[0]);
        if (!out.isDirectory() && !out.mkdirs()) {
            throw new IllegalStateException("cannot create " + out);
        }
        int written = new CRDGenerator()
                .inOutputDir(out)
                .forCRDVersions("v1")
                .withPostProcessor(new PrinterColumnOrder(CUSTOM_RESOURCES))
                .customResourceClasses(CUSTOM_RESOURCES)
                .generate();
        if (written != CUSTOM_RESOURCES.size()) {
            throw new IllegalStateException("generated " + written + " CRDs, expected " + CUSTOM_RESOURCES.size());
        }
    }
}
