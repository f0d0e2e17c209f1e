{{/*
The Pod spec of every syncproof run this chart renders (the PostSync Job's or Pod's, the SyncFail
Job's, the CronJob's): one container named `syncproof` (podFailurePolicy rules name it), the suite
at /etc/syncproof, restricted security, the app context as ARGOCD_APP_*. Called with
  (dict "root" $ "reportOnly" BOOL "activeDeadlineSeconds" N-or-"")
reportOnly: the run records and delivers as usual and then exits 0 whatever the verdict (SyncFail
hook, CronJob), and a missing ConfigMap is a configuration error in the report, not a Pod stuck in
ContainerCreating. activeDeadlineSeconds: set on the Pod (Pod mode); a Job has its own.
*/}}
{{- define "syncproof.podSpec" -}}
{{- $root := .root -}}
{{- $v := $root.Values -}}
{{- if not $v.image.repository -}}
{{- fail "syncproof: set image.repository (and image.tag or image.digest). No public syncproof image is published for this chart: build the repository's Dockerfile and push it to a registry your cluster pulls from, e.g. `podman build -t registry.example.com/platform/syncproof:0.1.0 . && podman push registry.example.com/platform/syncproof:0.1.0`, then --set image.repository=registry.example.com/platform/syncproof (.github/workflows/release.yml does the same for a release, with an SBOM and a signature; see chart/README.md, \"Install\")" -}}
{{- end -}}
{{- $app := $v.app -}}
{{- $appEnv := list
  (list "ARGOCD_APP_NAME" ($app.name | default $root.Release.Name))
  (list "ARGOCD_APP_NAMESPACE" ($app.namespace | default $root.Release.Namespace))
  (list "ARGOCD_APP_PROJECT_NAME" $app.project)
  (list "ARGOCD_APP_REVISION" $app.revision)
  (list "ARGOCD_APP_REVISION_SHORT" $app.revisionShort)
  (list "ARGOCD_APP_SOURCE_PATH" $app.sourcePath)
  (list "ARGOCD_APP_SOURCE_REPO_URL" $app.sourceRepoURL)
  (list "ARGOCD_APP_SOURCE_TARGET_REVISION" $app.sourceTargetRevision) -}}
restartPolicy: Never
{{- with .activeDeadlineSeconds }}
activeDeadlineSeconds: {{ . }}
{{- end }}
serviceAccountName: {{ include "syncproof.serviceAccountName" $root }}
automountServiceAccountToken: {{ or $v.serviceAccount.automountServiceAccountToken $v.kubernetesAccess.enabled }}
{{- with $v.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $v.priorityClassName }}
priorityClassName: {{ . | quote }}
{{- end }}
{{- with $v.podSecurityContext }}
securityContext:
  {{- toYaml . | nindent 2 }}
{{- end }}
containers:
  - name: syncproof
    image: {{ include "syncproof.image" $root | quote }}
    imagePullPolicy: {{ $v.image.pullPolicy }}
    {{- if .reportOnly }}
    # Report-only: the image's entrypoint under a shell that passes SIGTERM on (the deadline, a
    # drain) and exits 0 once syncproof has recorded and delivered the run, whatever its verdict.
    command:
      - /bin/sh
      - -c
      - {{ include "syncproof.reportOnlyScript" . | quote }}
      - syncproof-report-only
      - /usr/local/bin/node
      - /app/bin/syncproof.js
    {{- end }}
    args:
      - run
      {{- range $v.extraArgs }}
      - {{ toString . | quote }}
      {{- end }}
    terminationMessagePolicy: FallbackToLogsOnError
    env:
      - name: POD_NAME
        valueFrom:
          fieldRef:
            fieldPath: metadata.name
      {{- range $appEnv }}
      {{- if index . 1 }}
      - name: {{ index . 0 }}
        value: {{ index . 1 | toString | quote }}
      {{- end }}
      {{- end }}
      - name: LOG_LEVEL
        value: {{ $v.logLevel | quote }}
      {{- with $v.env }}
      {{- toYaml . | nindent 6 }}
      {{- end }}
    {{- with $v.envFrom }}
    envFrom:
      {{- toYaml . | nindent 6 }}
    {{- end }}
    {{- with $v.securityContext }}
    securityContext:
      {{- toYaml . | nindent 6 }}
    {{- end }}
    {{- with $v.resources }}
    resources:
      {{- toYaml . | nindent 6 }}
    {{- end }}
    volumeMounts:
      # The image's default config path: syncproof reads every *.yaml key of the ConfigMap.
      - name: suite
        mountPath: /etc/syncproof
        readOnly: true
      {{- with $v.extraVolumeMounts }}
      {{- toYaml . | nindent 6 }}
      {{- end }}
volumes:
  - name: suite
    configMap:
      name: {{ include "syncproof.configMapName" $root }}
      {{- if .reportOnly }}
      optional: true
      {{- end }}
  {{- with $v.extraVolumes }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
{{- with $v.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $v.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $v.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/*
sh -c SCRIPT NAME NODE BIN run ARGS…: runs "NODE BIN run ARGS…" in the background, hands a
SIGTERM/SIGINT to it (a shell that is PID 1 would otherwise ignore them), waits until it has
exited (a wait interrupted by the trap returns early), and exits 0.
*/}}
{{- define "syncproof.reportOnlyScript" -}}
trap 'kill -TERM "$pid" 2>/dev/null' TERM INT; "$@" & pid=$!; wait "$pid"; code=$?; while kill -0 "$pid" 2>/dev/null; do wait "$pid"; code=$?; done; echo "syncproof exited $code; a report-only run exits 0" >&2; exit 0
{{- end -}}

{{/* A name of at most MAX characters ending in SUFFIX: (list $ "-syncfail" 63). */}}
{{- define "syncproof.suffixedName" -}}
{{- $root := index . 0 -}}
{{- $suffix := index . 1 -}}
{{- $max := index . 2 | int -}}
{{- printf "%s%s" (include "syncproof.fullname" $root | trunc (sub $max (len $suffix) | int) | trimSuffix "-") $suffix -}}
{{- end -}}
