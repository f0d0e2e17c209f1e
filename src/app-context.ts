// The Argo CD application context (README.md#the-report-and-the-record): the record's `app` and the `${app:FIELD}` interpolation source.
import { withoutUserinfo } from './net/url-credentials.ts';

export interface AppContext {
  readonly name: string | null;
  readonly namespace: string | null;
  readonly project: string | null;
  readonly revision: string | null;
  readonly repoURL: string | null;
}

export function appContext(env: NodeJS.ProcessEnv): AppContext {
  const get = (name: string) => (env[name] ? env[name] : null);
  return {
    name: get('ARGOCD_APP_NAME'),
    namespace: get('ARGOCD_APP_NAMESPACE'),
    project: get('ARGOCD_APP_PROJECT_NAME'),
    revision: get('ARGOCD_APP_REVISION'),
    // `https://ghp_token@github.com/org/repo` → `https://github.com/org/repo`: a token given as the user
    // name has no `:password` for redaction to find.
    repoURL: env.ARGOCD_APP_SOURCE_REPO_URL ? withoutUserinfo(env.ARGOCD_APP_SOURCE_REPO_URL) : null,
  };
}

/** `${app:FIELD}`: each field and the variable it comes from. */
export const APP_FIELDS = {
  name: 'ARGOCD_APP_NAME',
  namespace: 'ARGOCD_APP_NAMESPACE',
  project: 'ARGOCD_APP_PROJECT_NAME',
  revision: 'ARGOCD_APP_REVISION',
  revisionShort: 'ARGOCD_APP_REVISION',
  repoURL: 'ARGOCD_APP_SOURCE_REPO_URL',
} as const;

export type AppField = keyof typeof APP_FIELDS;

/** The field's value, or null when its variable is unset or empty; `revisionShort` is the revision's first 7 characters. */
export function appField(env: NodeJS.ProcessEnv, field: AppField): string | null {
  const app = appContext(env);
  if (field === 'revisionShort') return app.revision === null ? null : app.revision.slice(0, 7);
  return app[field];
}
