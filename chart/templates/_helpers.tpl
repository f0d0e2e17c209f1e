{{/* Chart name, overridable. */}}
{{- define "syncproof.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Full name of every object: <release>-<chart>, or the release name when it already contains the
chart name, so several releases (one per app) in one namespace never collide. Jobs put their name
in a label, hence 63 characters at most.
*/}}
{{- define "syncproof.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "syncproof.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "syncproof.selectorLabels" -}}
app.kubernetes.io/name: {{ include "syncproof.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "syncproof.labels" -}}
helm.sh/chart: {{ include "syncproof.chart" . }}
{{ include "syncproof.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | trunc 63 | trimSuffix "-" | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: postsync-verification
{{- end -}}

{{- define "syncproof.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "syncproof.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "syncproof.configMapName" -}}
{{- default (include "syncproof.fullname" .) .Values.existingConfigMap -}}
{{- end -}}

{{- define "syncproof.image" -}}
{{- $tag := .Values.image.tag | default .Chart.AppVersion -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository $tag -}}
{{- end -}}
{{- end -}}

{{/*
Seconds of a syncproof duration (250ms, 5s, 1m30s, 1.5h, 14d), rounded up. The suite's schema
(and `syncproof validate`) checks the format; this only adds the parts up.
*/}}
{{- define "syncproof.durationSeconds" -}}
{{- $units := dict "ms" 0.001 "s" 1.0 "m" 60.0 "h" 3600.0 "d" 86400.0 -}}
{{- $total := 0.0 -}}
{{- range $part := regexFindAll "[0-9]+(\\.[0-9]+)?(ms|s|m|h|d)" (toString .) -1 -}}
{{- $amount := regexFind "^[0-9]+(\\.[0-9]+)?" $part -}}
{{- $unit := trimPrefix $amount $part -}}
{{- $total = addf $total (mulf (float64 $amount) (get $units $unit)) -}}
{{- end -}}
{{- ceil $total | int -}}
{{- end -}}

{{/* The Job's activeDeadlineSeconds: explicit, or the suite's deadline + 10 s grace + startup allowance. */}}
{{- define "syncproof.activeDeadlineSeconds" -}}
{{- $deadline := include "syncproof.durationSeconds" (.Values.suite.deadline | default "5m") | int -}}
{{- $floor := add $deadline 10 -}}
{{- if not (kindIs "invalid" .Values.job.activeDeadlineSeconds) -}}
{{- $explicit := .Values.job.activeDeadlineSeconds | int -}}
{{- if le $explicit $floor -}}
{{- fail (printf "job.activeDeadlineSeconds (%d) must be above the suite's deadline plus 10 s of grace (%d): Kubernetes would stop syncproof before it records the run" $explicit $floor) -}}
{{- end -}}
{{- $explicit -}}
{{- else -}}
{{- add $floor (.Values.job.startupAllowance | int) -}}
{{- end -}}
{{- end -}}

{{/*
The PostSync hook's delete policies and wave. Argo CD unions its own delete policy with Helm's
(helm.sh/hook-delete-policy), so both lists keep BeforeHookCreation and neither deletes a failed
run (values.schema.json refuses the rest): the next sync replaces the hook, and the failed run's
object and logs stay until then.
*/}}
{{- define "syncproof.hookAnnotations" -}}
argocd.argoproj.io/hook-delete-policy: {{ .Values.hook.deletePolicy | quote }}
{{- with .Values.hook.syncWave }}
argocd.argoproj.io/sync-wave: {{ toString . | quote }}
{{- end }}
{{- if .Values.hook.helm }}
helm.sh/hook: post-install,post-upgrade
helm.sh/hook-delete-policy: {{ .Values.hook.helmDeletePolicy | quote }}
{{- end }}
{{- end -}}

{{/*
podFailurePolicy of the report-only Jobs (SyncFail, CronJob), whose container exits 0 after a
run: an evicted or preempted Pod (DisruptionTarget) verified nothing and is run again; any other
failure (OOM, a shell that cannot start) ends the Job (backoffLimit 0). Rules are first-match.
*/}}
{{- define "syncproof.reportOnlyFailurePolicy" -}}
podFailurePolicy:
  rules:
    - action: Ignore
      onPodConditions:
        - type: DisruptionTarget
{{- end -}}
