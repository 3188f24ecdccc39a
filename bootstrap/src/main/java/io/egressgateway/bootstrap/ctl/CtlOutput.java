package io.egressgateway.bootstrap.ctl;

import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** {@code -o table|json|yaml}; JSON and YAML print the use case's result records as they are. */
enum CtlOutput {
    table, json, yaml;

    String render(Object value) {
        ObjectMapper m = this == yaml ? YAMLMapper.builder().build() : JsonMapper.builder().build();
        return m.writerWithDefaultPrettyPrinter().writeValueAsString(value);
    }
}
