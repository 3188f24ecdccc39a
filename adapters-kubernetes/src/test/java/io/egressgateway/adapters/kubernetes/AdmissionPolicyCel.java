package io.egressgateway.adapters.kubernetes;

import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelOptionalLibrary;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A ValidatingAdmissionPolicy of deploy/ evaluated with the CEL library the way the API server does:
 * variables in order, then matchConditions (all true, else the policy does not apply), then every
 * validation; a failing one yields its messageExpression (or message). Objects are plain maps, as
 * JSON would decode. Only the CEL is checked here; matchConstraints and the binding are the API
 * server's (see the testbed's RbacRefusalE2EIT).
 */
final class AdmissionPolicyCel {
    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addLibraries(CelOptionalLibrary.INSTANCE)
            .addVar("request", SimpleType.DYN)
            .addVar("object", SimpleType.DYN)
            .addVar("oldObject", SimpleType.DYN)
            .addVar("variables", SimpleType.DYN)
            .build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
            .addLibraries(CelOptionalLibrary.INSTANCE).build();

    private final ValidatingAdmissionPolicy policy;

    private AdmissionPolicyCel(ValidatingAdmissionPolicy policy) {
        this.policy = policy;
    }

    static AdmissionPolicyCel load(KubernetesClient client, String deployFile) {
        try (InputStream in = Files.newInputStream(Path.of("../deploy", deployFile))) {
            for (HasMetadata o : client.load(in).items()) {
                if (o instanceof ValidatingAdmissionPolicy p) {
                    return new AdmissionPolicyCel(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no ValidatingAdmissionPolicy in deploy/" + deployFile);
    }

    ValidatingAdmissionPolicy policy() {
        return policy;
    }

    /** Null when a matchCondition excludes the request; else the messages of failing validations. */
    List<String> denials(Map<String, Object> request, Map<String, Object> object, Map<String, Object> oldObject) {
        Map<String, Object> vars = new HashMap<>();
        vars.put("request", request);
        vars.put("object", object);
        vars.put("oldObject", oldObject);
        Map<String, Object> variables = new LinkedHashMap<>();
        vars.put("variables", variables);
        for (var v : policy.getSpec().getVariables()) {
            variables.put(v.getName(), eval(v.getExpression(), vars));
        }
        for (var c : policy.getSpec().getMatchConditions()) {
            if (!Boolean.TRUE.equals(eval(c.getExpression(), vars))) {
                return null;
            }
        }
        List<String> out = new ArrayList<>();
        for (var v : policy.getSpec().getValidations()) {
            if (!Boolean.TRUE.equals(eval(v.getExpression(), vars))) {
                out.add(v.getMessageExpression() != null ? String.valueOf(eval(v.getMessageExpression(), vars))
                        : v.getMessage());
            }
        }
        return out;
    }

    private static Object eval(String expression, Map<String, Object> vars) {
        try {
            return RUNTIME.createProgram(COMPILER.compile(expression).getAst()).eval(vars);
        } catch (Exception e) {
            throw new IllegalStateException("expression failed: " + expression, e);
        }
    }
}
