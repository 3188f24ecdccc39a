{{/*
A duration value as seconds ("10s" -> 10, "1500ms" -> 1.5, "1m30s" -> 90), for the alert thresholds
that follow the heartbeat values. Units ms, s, m, h as the product's settings take them.
*/}}
{{- define "egressgateway.seconds" -}}
{{- $d := toString . -}}
{{- if not (regexMatch "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$" $d) -}}
{{- fail (printf "%q is not a duration such as 10s, 500ms or 1m30s" $d) -}}
{{- end -}}
{{- $units := dict "ms" 0.001 "s" 1.0 "m" 60.0 "h" 3600.0 -}}
{{- $total := 0.0 -}}
{{- range regexFindAll "[0-9.]+(ms|s|m|h)" $d -1 -}}
{{- $n := regexFind "^[0-9.]+" . -}}
{{- $total = addf $total (mulf (float64 $n) (get $units (trimPrefix $n .))) -}}
{{- end -}}
{{- $total -}}
{{- end }}

{{/* Labels of the monitoring objects: the chart's, plus the ones the operator's selector wants. */}}
{{- define "egressgateway.monitoringLabels" -}}
{{- $labels := merge (dict "app.kubernetes.io/name" "egressgateway") (deepCopy (.labels | default dict)) -}}
{{ toJson $labels }}
{{- end }}

{{/* The node a target runs on, as the label `node` the alerts and the dashboard show. */}}
{{- define "egressgateway.nodeRelabeling" -}}
relabelings:
- {sourceLabels: [__meta_kubernetes_pod_node_name], targetLabel: node}
{{- end }}
