package io.egressgateway.adapters.kubernetes.crd;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code x-kubernetes-validations} rules of a committed CRD, compiled and evaluated with the CEL
 * library, since the test API server does not evaluate them. Paths are dotted property names from the
 * schema root ("spec.appliedTo"); "[]" stands for array items, "{}" for map values.
 */
final class CelRules {
    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .addVar("oldSelf", SimpleType.DYN)
            .build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

    record Rule(String path, String expression, String message, boolean transition, CelRuntime.Program program) {
    }

    private final Map<String, List<Rule>> byPath = new LinkedHashMap<>();
    private final Map<String, JSONSchemaProps> schemas = new LinkedHashMap<>();

    private CelRules() {
    }

    static CelRules load(String crdFile) {
        CelRules rules = new CelRules();
        try (InputStream in = Files.newInputStream(Path.of("../deploy/crds", crdFile))) {
            CustomResourceDefinition crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
            rules.walk("", crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read deploy/crds/" + crdFile, e);
        }
        return rules;
    }

    private void walk(String path, JSONSchemaProps schema) {
        if (schema == null) {
            return;
        }
        schemas.put(path, schema);
        for (ValidationRule r : schema.getXKubernetesValidations() == null ? List.<ValidationRule>of()
                : schema.getXKubernetesValidations()) {
            byPath.computeIfAbsent(path, p -> new ArrayList<>()).add(compile(path, r));
        }
        if (schema.getProperties() != null) {
            schema.getProperties().forEach((name, child) -> walk(path.isEmpty() ? name : path + "." + name, child));
        }
        if (schema.getItems() != null) {
            walk(path + "[]", schema.getItems().getSchema());
        }
        if (schema.getAdditionalProperties() != null) {
            walk(path + "{}", schema.getAdditionalProperties().getSchema());
        }
    }

    private static Rule compile(String path, ValidationRule r) {
        try {
            CelAbstractSyntaxTree ast = COMPILER.compile(r.getRule()).getAst();
            return new Rule(path, r.getRule(), r.getMessage(), r.getRule().contains("oldSelf"),
                    RUNTIME.createProgram(ast));
        } catch (Exception e) {
            throw new IllegalStateException("rule at " + path + " does not compile: " + r.getRule(), e);
        }
    }

    /** The schema at {@code path} (same notation as the rules). */
    JSONSchemaProps schema(String path) {
        JSONSchemaProps s = schemas.get(path);
        if (s == null) {
            throw new IllegalArgumentException("no schema at " + path);
        }
        return s;
    }

    /** Every path that has rules. */
    java.util.Set<String> rulePaths() {
        return byPath.keySet();
    }

    /** Every schema path at or below {@code path}. */
    List<String> subtree(String path) {
        return schemas.keySet().stream().filter(p -> p.equals(path) || p.startsWith(path + ".")
                || p.startsWith(path + "[]") || p.startsWith(path + "{}")).toList();
    }

    List<Rule> all() {
        return byPath.values().stream().flatMap(List::stream).toList();
    }

    /** Messages of the rules at {@code path} that reject {@code self} (on create: no transition rules). */
    List<String> violations(String path, Object self) {
        return violations(path, self, null);
    }

    /** Same, on update from {@code oldSelf}: transition rules run too. */
    List<String> violations(String path, Object self, Object oldSelf) {
        List<Rule> rules = byPath.get(path);
        if (rules == null) {
            throw new IllegalArgumentException("no rules at " + path + "; paths with rules: " + byPath.keySet());
        }
        List<String> failed = new ArrayList<>();
        for (Rule r : rules) {
            if (r.transition() && oldSelf == null) {
                continue;
            }
            Map<String, Object> vars = new HashMap<>();
            vars.put("self", self);
            if (oldSelf != null) {
                vars.put("oldSelf", oldSelf);
            }
            try {
                if (!Boolean.TRUE.equals(r.program().eval(vars))) {
                    failed.add(r.message());
                }
            } catch (Exception e) {
                throw new IllegalStateException("rule at " + path + " failed to evaluate: " + r.expression(), e);
            }
        }
        return failed;
    }
}
