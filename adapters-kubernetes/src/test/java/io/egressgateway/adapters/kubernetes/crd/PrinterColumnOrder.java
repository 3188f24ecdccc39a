package io.egressgateway.adapters.kubernetes.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts each CRD's printer columns in the order the {@link AdditionalPrinterColumn} annotations are
 * written on its class. fabric8's CRDGenerator collects them in a map keyed by JSONPath, so without
 * this step {@code kubectl get} shows them sorted by path (AGE first). Java keeps repeated
 * annotations in declaration order, so the class is the single source of the order.
 */
final class PrinterColumnOrder implements CRDPostProcessor {
    private final Map<String, Class<?>> classByKind;

    PrinterColumnOrder(List<Class<? extends HasMetadata>> customResources) {
        this.classByKind = new HashMap<>();
        customResources.forEach(c -> classByKind.put(HasMetadata.getKind(c), c));
    }

    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
        CustomResourceDefinition definition = (CustomResourceDefinition) crd;
        String kind = definition.getSpec().getNames().getKind();
        Class<?> type = classByKind.get(kind);
        if (type == null) {
            throw new IllegalStateException("no custom resource class for kind " + kind);
        }
        List<String> order = declaredNames(type);
        for (CustomResourceDefinitionVersion version : definition.getSpec().getVersions()) {
            List<CustomResourceColumnDefinition> columns = version.getAdditionalPrinterColumns();
            if (columns == null) {
                continue;
            }
            List<CustomResourceColumnDefinition> sorted = new ArrayList<>(columns);
            sorted.sort((a, b) -> Integer.compare(indexOf(order, a, kind), indexOf(order, b, kind)));
            version.setAdditionalPrinterColumns(sorted);
        }
        return crd;
    }

    static List<String> declaredNames(Class<?> type) {
        return Arrays.stream(type.getAnnotationsByType(AdditionalPrinterColumn.class))
                .map(AdditionalPrinterColumn::name).toList();
    }

    private static int indexOf(List<String> order, CustomResourceColumnDefinition column, String kind) {
        int i = order.indexOf(column.getName());
        if (i < 0) {
            throw new IllegalStateException(kind + ": printer column " + column.getName()
                    + " is not declared with @AdditionalPrinterColumn on the class");
        }
        return i;
    }
}
