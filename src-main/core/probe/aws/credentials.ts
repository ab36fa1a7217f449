import { z } from 'zod';
import { ProbeError, missingCredentials } from '../errors.js';
import { readSharedFiles, SharedFileError, type Profile, type SharedFiles } from './shared-files.js';

/** Credentials for SigV4; temporary ones carry a session token. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface AssumeRoleStep {
  roleArn: string;
  externalId?: string;
  sessionName: string;
}

/**
 * How a check gets its credentials, decided before anything is sent: static keys, a Bedrock API key, or a role to
 * assume with other credentials. `source` says where they came from, for messages ("profile \"dev\" in …").
 */
export type CredentialPlan =
  | { kind: 'static'; credentials: AwsCredentials; source: string }
  | { kind: 'bearer'; token: string; source: string }
  | { kind: 'assume-role'; role: AssumeRoleStep; base: CredentialPlan; source: string };

/** What the key and the provider's settings say, plus the environment of the process that owns the store. */
export interface CredentialInput {
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
  sessionToken?: string | undefined;
  /** The key's secret, used as a Bedrock API key when no access keys are given. */
  apiKey?: string | null | undefined;
  roleArn?: string | undefined;
  externalId?: string | undefined;
  sessionName?: string | undefined;
  /** A named profile from the shared files (the `profile` setting); AWS_PROFILE otherwise. */
  profile?: string | undefined;
  env: NodeJS.ProcessEnv;
}

export interface PlannedCredentials {
  plan: CredentialPlan;
  /** The profile's `region`, when the credentials came from a profile. */
  profileRegion?: string;
  /** The profile's `use_fips_endpoint = true`. */
  profileFips?: boolean;
}

export const DEFAULT_SESSION_NAME = 'provider-desk';

/** IAM role ARNs in every partition (arn:aws, arn:aws-cn, arn:aws-us-gov …). */
const RoleArn = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/);
/** The patterns STS documents for RoleSessionName and ExternalId. */
const SessionName = z.string().regex(/^[\w+=,.@-]{2,64}$/);
const ExternalId = z.string().regex(/^[\w+=,.@:/-]{2,1224}$/);

/** A check that cannot start because the configuration is wrong; nothing was sent. */
function badSetting(summary: string, hint: string): ProbeError {
  return new ProbeError({ errorClass: 'missing_credentials', httpStatus: null, summary, hint });
}

function roleStep(roleArn: string, externalId: string | undefined, sessionName: string | undefined, where: string): AssumeRoleStep {
  if (!RoleArn.safeParse(roleArn).success)
    throw badSetting(
      `${where} role_arn "${roleArn}" is not an IAM role ARN`,
      'use the role’s ARN, e.g. arn:aws:iam::123456789012:role/bedrock-reader',
    );
  if (externalId !== undefined && !ExternalId.safeParse(externalId).success)
    throw badSetting(`${where} external_id is not valid`, 'an external ID is 2–1224 characters of letters, digits and + = , . @ : / -');
  const name = sessionName ?? DEFAULT_SESSION_NAME;
  if (!SessionName.safeParse(name).success)
    throw badSetting(
      `${where} session name "${name}" is not valid`,
      'a role session name is 2–64 characters of letters, digits and + = , . @ -',
    );
  return { roleArn, ...(externalId !== undefined ? { externalId } : {}), sessionName: name };
}

function pair(
  accessKeyId: string | undefined,
  secretAccessKey: string | undefined,
  sessionToken: string | undefined,
  names: { id: string; secret: string; where: string },
): AwsCredentials | null {
  if (!accessKeyId && !secretAccessKey) return null;
  if (!accessKeyId || !secretAccessKey) {
    const missing = accessKeyId ? names.secret : names.id;
    const present = accessKeyId ? names.id : names.secret;
    throw missingCredentials(
      `${missing} (${names.where} has ${present} without it)`,
      'give both the access key ID and the secret access key, or neither',
    );
  }
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

function fromEnvironment(env: NodeJS.ProcessEnv): CredentialPlan | null {
  const credentials = pair(env.AWS_ACCESS_KEY_ID, env.AWS_SECRET_ACCESS_KEY, env.AWS_SESSION_TOKEN, {
    id: 'AWS_ACCESS_KEY_ID',
    secret: 'AWS_SECRET_ACCESS_KEY',
    where: 'the environment',
  });
  return credentials ? { kind: 'static', credentials, source: 'AWS_ACCESS_KEY_ID in the environment' } : null;
}

function truthy(value: string | undefined): boolean {
  return /^(true|1|yes|on)$/i.test((value ?? '').trim());
}

/**
 * A profile's credentials: static keys, or `role_arn` with `source_profile` (another profile, possibly itself) or
 * `credential_source = Environment`. SSO, credential_process, web identity and MFA profiles are refused by name.
 */
function fromProfile(files: SharedFiles, name: string, env: NodeJS.ProcessEnv, seen: string[] = []): CredentialPlan {
  const where = `profile "${name}"`;
  if (seen.includes(name))
    throw badSetting(
      `${where} is part of a source_profile loop (${[...seen, name].join(' → ')})`,
      'fix source_profile in the AWS config file',
    );
  const fromCredentials = files.credentials.get(name);
  const fromConfig = files.config.get(name);
  if (!fromCredentials && !fromConfig)
    throw missingCredentials(
      `AWS ${where} (not in ${files.credentialsPath} or ${files.configPath})`,
      'create the profile, set the profile setting or AWS_PROFILE to one that exists, or give access keys',
    );
  // The credentials file wins over the config file for the same profile.
  const profile: Profile = { ...fromConfig, ...fromCredentials };
  const file = fromCredentials?.aws_access_key_id ? files.credentialsPath : files.configPath;
  const source = `${where} in ${file}`;

  if (profile.role_arn) {
    if (profile.mfa_serial)
      throw badSetting(
        `${where} needs an MFA code (mfa_serial), which a background check cannot enter`,
        'use a profile without MFA for Provider Desk, or access keys',
      );
    const role = roleStep(profile.role_arn, profile.external_id, profile.role_session_name, where);
    let base: CredentialPlan;
    if (profile.source_profile) {
      const sourceName = profile.source_profile;
      // A profile may name itself as its source: then its own static keys are the base credentials.
      base =
        sourceName === name
          ? staticProfile(profile, `${where} in ${files.credentialsPath}`, where)
          : fromProfile(files, sourceName, env, [...seen, name]);
    } else if (profile.credential_source) {
      if (profile.credential_source !== 'Environment')
        throw badSetting(
          `${where} uses credential_source = ${profile.credential_source}, which Provider Desk does not support`,
          'use credential_source = Environment or a source_profile with access keys',
        );
      const fromEnv = fromEnvironment(env);
      if (!fromEnv)
        throw missingCredentials(
          `AWS credentials in the environment for ${where} (credential_source = Environment)`,
          'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY for the app or the server',
        );
      base = fromEnv;
    } else {
      throw badSetting(
        `${where} has role_arn but neither source_profile nor credential_source`,
        'add source_profile = <a profile with access keys> to the profile',
      );
    }
    return { kind: 'assume-role', role, base, source: `${where} (role ${role.roleArn})` };
  }
  if (profile.aws_access_key_id || profile.aws_secret_access_key) return staticProfile(profile, source, where);
  const unsupported =
    profile.sso_session || profile.sso_start_url
      ? 'IAM Identity Center (SSO)'
      : profile.credential_process
        ? 'credential_process'
        : profile.web_identity_token_file
          ? 'web_identity_token_file'
          : null;
  if (unsupported)
    throw badSetting(
      `${where} gets its credentials from ${unsupported}, which Provider Desk does not support`,
      'use a profile with access keys or role_arn + source_profile, or give access keys',
    );
  throw missingCredentials(
    `AWS credentials in ${where}`,
    'add aws_access_key_id and aws_secret_access_key to the profile, or role_arn + source_profile',
  );
}

function staticProfile(profile: Profile, source: string, where: string): CredentialPlan {
  const credentials = pair(profile.aws_access_key_id, profile.aws_secret_access_key, profile.aws_session_token, {
    id: 'aws_access_key_id',
    secret: 'aws_secret_access_key',
    where,
  });
  if (!credentials)
    throw missingCredentials(`AWS credentials in ${where}`, 'add aws_access_key_id and aws_secret_access_key to the profile');
  return { kind: 'static', credentials, source };
}

async function loadFiles(env: NodeJS.ProcessEnv): Promise<SharedFiles> {
  try {
    return await readSharedFiles(env);
  } catch (error) {
    if (error instanceof SharedFileError)
      throw badSetting(`the AWS shared file ${error.path} could not be read (${error.reason})`, 'check the file and its permissions');
    throw error;
  }
}

function profileExtras(files: SharedFiles, name: string): Omit<PlannedCredentials, 'plan'> {
  const profile = { ...files.config.get(name), ...files.credentials.get(name) };
  return {
    ...(profile.region ? { profileRegion: profile.region } : {}),
    ...(truthy(profile.use_fips_endpoint) ? { profileFips: true } : {}),
  };
}

/**
 * The standard chain, as the AWS CLI orders it: access keys given on the key or provider; a named profile (the
 * `profile` setting); a Bedrock API key (the key's secret); AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (+ session
 * token); AWS_BEARER_TOKEN_BEDROCK; then the shared files' AWS_PROFILE (or `default`) profile. A `role_arn` setting is
 * then assumed with whatever was found (an API key cannot assume a role).
 */
export async function planCredentials(input: CredentialInput): Promise<PlannedCredentials> {
  const { env } = input;
  const withRole = input.roleArn ? roleStep(input.roleArn, input.externalId, input.sessionName, 'the provider’s') : null;
  let planned: PlannedCredentials | null = null;

  const explicit = pair(input.accessKeyId, input.secretAccessKey, input.sessionToken, {
    id: 'access key ID',
    secret: 'secret access key',
    where: 'the key or provider',
  });
  if (explicit) planned = { plan: { kind: 'static', credentials: explicit, source: 'the access keys given on the key or provider' } };
  else if (input.profile) {
    const files = await loadFiles(env);
    planned = { plan: fromProfile(files, input.profile, env), ...profileExtras(files, input.profile) };
  } else if (input.apiKey && !withRole) planned = { plan: { kind: 'bearer', token: input.apiKey, source: 'the Bedrock API key' } };
  else {
    const fromEnv = fromEnvironment(env);
    if (fromEnv) planned = { plan: fromEnv };
    else if (env.AWS_BEARER_TOKEN_BEDROCK && !withRole)
      planned = { plan: { kind: 'bearer', token: env.AWS_BEARER_TOKEN_BEDROCK, source: 'AWS_BEARER_TOKEN_BEDROCK in the environment' } };
    else {
      const files = await loadFiles(env);
      const name = env.AWS_PROFILE || 'default';
      const exists = files.credentials.has(name) || files.config.has(name);
      if (exists || env.AWS_PROFILE) planned = { plan: fromProfile(files, name, env), ...profileExtras(files, name) };
    }
  }

  if (!planned) {
    throw missingCredentials(
      'AWS credentials',
      withRole
        ? `role_arn ${withRole.roleArn} needs credentials to assume it: give access keys, set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE for the app, or add a profile (a Bedrock API key cannot assume a role)`
        : 'give an access key ID and secret access key (and session token if temporary) or a Bedrock API key, or set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE (shared files in ~/.aws) for the app or the server',
    );
  }
  if (!withRole) return planned;
  if (planned.plan.kind === 'bearer')
    throw badSetting(
      `role_arn ${withRole.roleArn} cannot be assumed with a Bedrock API key`,
      'give access keys or a profile to assume the role with, or remove role_arn to use the API key',
    );
  return { ...planned, plan: { kind: 'assume-role', role: withRole, base: planned.plan, source: `role ${withRole.roleArn}` } };
}

/** Every credential in a plan (access key IDs too, as the catalog treats them), so messages can be scrubbed of them. */
export function planSecrets(plan: CredentialPlan): string[] {
  switch (plan.kind) {
    case 'static':
      return [plan.credentials.accessKeyId, plan.credentials.secretAccessKey, plan.credentials.sessionToken ?? ''].filter(Boolean);
    case 'bearer':
      return [plan.token];
    case 'assume-role':
      return planSecrets(plan.base);
  }
}
