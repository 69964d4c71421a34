{{/*
Names, labels and the operator's arguments, shared by every template.
*/}}

{{- define "rec-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The object name prefix: the release name, plus the chart name unless the release name contains it. */}}
{{- define "rec-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "rec-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "rec-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "rec-operator.labels" -}}
{{ include "rec-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "rec-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "rec-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name: name the existing ServiceAccount when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "rec-operator.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/*
`rec-operator run`'s arguments, one per line (a YAML list). The defaults give exactly deploy/deployment.yaml's
args; a flag with an operator default is passed only when its value is set, so the operator's default holds.
*/}}
{{- define "rec-operator.args" -}}
{{- $op := .Values.operator -}}
{{- $v := .Values.validation -}}
- run
{{- if .Values.leaderElection.enabled }}
- --leader-elect
{{- with .Values.leaderElection.leaseName }}
- --lease-name={{ . }}
{{- end }}
{{- end }}
{{- if $op.logJson }}
- --log-json
{{- end }}
- --concurrency={{ $op.concurrency }}
- --core-memory-mib={{ $op.coreMemoryMiB }}
{{- with $op.apiTimeoutSeconds }}
- --api-timeout-seconds={{ . }}
{{- end }}
{{- with $op.rollTimeoutSeconds }}
- --roll-timeout-seconds={{ . }}
{{- end }}
{{- if ne (int $op.port) 8080 }}
- --listen=0.0.0.0:{{ $op.port }}
{{- end }}
{{- range .Values.watchNamespaces }}
- --namespace={{ . }}
{{- end }}
{{- if $v.warningsAsErrors }}
- --warnings-as-errors
{{- end }}
{{- with $v.minNodeMemory }}
- --min-node-memory={{ . }}
{{- end }}
{{- range $v.allowedStorageClasses }}
- --allowed-storage-class={{ . }}
{{- end }}
{{- range $v.allowedImageRegistries }}
- --allowed-image-registry={{ . }}
{{- end }}
{{- with .Values.bundledImages.operatorTag }}
- --operator-tag={{ . }}
{{- end }}
{{- with .Values.bundledImages.redisEnterpriseTag }}
- --redis-enterprise-tag={{ . }}
{{- end }}
{{- range $op.extraArgs }}
- {{ . }}
{{- end }}
{{- end }}

{{/* Render-time checks the schema cannot express. */}}
{{- define "rec-operator.checks" -}}
{{- if and (gt (int .Values.replicaCount) 1) (not .Values.leaderElection.enabled) }}
{{- fail (printf "replicaCount is %d but leaderElection.enabled is false: replicas would reconcile the same RECs at once; enable leader election or set replicaCount: 1" (int .Values.replicaCount)) }}
{{- end }}
{{- if and .Values.policy.enabled .Values.policy.settings.applyDefaults (not .Values.policy.mutating) }}
{{- fail "policy.settings.applyDefaults is true but policy.mutating is false: Kubewarden drops a non-mutating policy's patches; set policy.mutating: true" }}
{{- end }}
{{- end }}
