{{/* The image of every role. */}}
{{- define "egressgateway.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag }}
{{- end }}

{{/* Labels of every object; component labels are added where they select pods. */}}
{{- define "egressgateway.labels" -}}
app.kubernetes.io/name: egressgateway
{{- end }}

{{/* The Namespace object (00-namespace.yaml, and rbac.yaml so that it applies on its own). */}}
{{- define "egressgateway.namespace" -}}
apiVersion: v1
kind: Namespace
metadata:
  name: {{ .Release.Namespace }}
  labels: {app.kubernetes.io/name: egressgateway}
{{- end }}

{{/* A list value as one comma-separated string (list settings in EGW_* variables). */}}
{{- define "egressgateway.csv" -}}
{{ join "," . }}
{{- end }}

{{/*
The settings both roles (and prepare-node) take from the chart's values, as EGW_<KEY> variables
(docs/configuration.md). The product refuses an EGW_ variable that names no key.
*/}}
{{- define "egressgateway.settingsEnv" -}}
- {name: EGW_LOG_LEVEL, value: {{ .Values.logLevel | quote }}}
- {name: EGW_NAMESPACE, value: {{ .Release.Namespace | quote }}}
- {name: EGW_ENABLEIPV4, value: {{ .Values.enableIPv4 | quote }}}
- {name: EGW_ENABLEIPV6, value: {{ .Values.enableIPv6 | quote }}}
- {name: EGW_CLUSTER_PODCIDRS, value: {{ include "egressgateway.csv" .Values.cluster.podCIDRs | quote }}}
- {name: EGW_CLUSTER_SERVICECIDRS, value: {{ include "egressgateway.csv" .Values.cluster.serviceCIDRs | quote }}}
- {name: EGW_IPTABLES_BACKEND, value: {{ .Values.iptables.backend | quote }}}
- {name: EGW_TUNNEL_PARENTINTERFACE, value: {{ .Values.tunnel.parentInterface | quote }}}
- {name: EGW_TUNNEL_VXLAN_V4NAME, value: {{ .Values.tunnel.vxlan.v4Name | quote }}}
- {name: EGW_TUNNEL_VXLAN_V6NAME, value: {{ .Values.tunnel.vxlan.v6Name | quote }}}
- {name: EGW_TUNNEL_VXLAN_VNI, value: {{ .Values.tunnel.vxlan.vni | quote }}}
- {name: EGW_TUNNEL_VXLAN_PORT, value: {{ .Values.tunnel.vxlan.port | quote }}}
- {name: EGW_HEARTBEAT_INTERVAL, value: {{ .Values.heartbeat.interval | quote }}}
- {name: EGW_HEARTBEAT_GATEWAYINTERVAL, value: {{ .Values.heartbeat.gatewayInterval | quote }}}
- {name: EGW_HEARTBEAT_EVICTIONTIMEOUT, value: {{ .Values.heartbeat.evictionTimeout | quote }}}
- {name: EGW_HEARTBEAT_FENCE, value: {{ .Values.heartbeat.fence | quote }}}
- {name: EGW_WEBHOOK_CONTROLLERUSER, value: {{ printf "system:serviceaccount:%s:egressgateway-controller" .Release.Namespace | quote }}}
{{- end }}

{{/* The hardening every container but the privileged init container shares. */}}
{{- define "egressgateway.restricted" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
{{- end }}

{{/* /tmp, writable on a read-only root: JNA and Netty unpack their native libraries there, and the JVM keeps hsperfdata. */}}
{{- define "egressgateway.tmpVolume" -}}
- {name: tmp, emptyDir: {sizeLimit: 64Mi}}
{{- end }}
{{- define "egressgateway.tmpMount" -}}
- {name: tmp, mountPath: /tmp}
{{- end }}

{{/* java <flags> -jar: the image's application. */}}
{{- define "egressgateway.java" -}}
{{ toJson (concat (list "java") . (list "-jar" "/app/egressgateway.jar")) }}
{{- end }}
