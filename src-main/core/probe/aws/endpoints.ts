/**
 * Where Bedrock and STS live for a region, per partition (docs/providers.md, "Partitions and endpoints"):
 * `amazonaws.com` (commercial and GovCloud) and `amazonaws.com.cn` (China), with optional FIPS hosts.
 */

export interface BedrockEndpointInput {
  /** The provider's base URL; '' when the hosts are built from the region. */
  baseUrl: string;
  /** The region from settings, the environment or the profile, if any. */
  region: string | undefined;
  useFips: boolean;
  /** A Bedrock endpoint from the environment (AWS_ENDPOINT_URL_BEDROCK); the base URL wins over it. */
  bedrockEndpoint?: string | undefined;
  /** AWS_ENDPOINT_URL_BEDROCK_RUNTIME; used for the deep test when no base URL is given. */
  runtimeEndpoint?: string | undefined;
  /** An STS endpoint from the `sts_endpoint` setting or AWS_ENDPOINT_URL_STS (VPC endpoints, tests). */
  stsEndpoint?: string | undefined;
}

export interface BedrockEndpoints {
  /** The region requests are signed for. */
  region: string;
  /** Control plane: model listing (`GET {controlPlane}/foundation-models`). */
  controlPlane: string;
  /** Runtime: Converse for the deep test. */
  runtime: string;
  /** STS for AssumeRole. */
  sts: string;
}

export const DEFAULT_REGION = 'us-east-1';

/** bedrock[-runtime][-fips].{region}.amazonaws.com[.cn], sts[-fips].… — the hosts AWS itself names. */
const AWS_HOST = /^(bedrock|bedrock-runtime|sts)(-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d+)\.(amazonaws\.com(?:\.cn)?)$/;
/** A region inside any other AWS host name (VPC endpoints: vpce-….bedrock.eu-west-1.vpce.amazonaws.com). */
const REGION_IN_HOST = /\.([a-z]{2}(?:-[a-z]+)+-\d+)\.(?:vpce\.)?amazonaws\.com(?:\.cn)?$/;

export interface AwsHost {
  service: 'bedrock' | 'bedrock-runtime' | 'sts';
  fips: boolean;
  region: string;
  /** amazonaws.com or amazonaws.com.cn */
  suffix: string;
}

/** The parts of an AWS-named Bedrock or STS host; null for anything else (a gateway, a VPC endpoint, a test server). */
export function parseAwsHost(url: string): AwsHost | null {
  let hostname: string;
  try {
    hostname = new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
  const match = AWS_HOST.exec(hostname);
  if (!match) return null;
  return {
    service: match[1] as AwsHost['service'],
    fips: match[2] === '-fips',
    region: match[3] ?? DEFAULT_REGION,
    suffix: match[4] ?? 'amazonaws.com',
  };
}

/** The DNS suffix of a region's partition: China regions are under amazonaws.com.cn, the others under amazonaws.com. */
export function partitionSuffix(region: string): string {
  return region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
}

/**
 * The `-fips` infix, where the partition has one: China has no FIPS endpoints, and GovCloud's STS hosts are FIPS
 * endpoints under their plain name (sts.us-gov-west-1.amazonaws.com).
 */
function fipsPart(service: string, region: string, fips: boolean): string {
  if (!fips || region.startsWith('cn-')) return '';
  if (service === 'sts' && region.startsWith('us-gov-')) return '';
  return '-fips';
}

function trimSlash(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

/**
 * The hosts to use. A base URL that names an AWS Bedrock host keeps its partition, region, scheme and port (only the
 * service part changes between control plane and runtime), so a `.amazonaws.com.cn` URL stays in China; any other
 * base URL (a VPC endpoint, a gateway, a test server) is used as given for both.
 */
export function bedrockEndpoints(input: BedrockEndpointInput): BedrockEndpoints {
  const base = trimSlash(input.baseUrl);
  const aws = base ? parseAwsHost(base) : null;
  if (aws && aws.service !== 'sts') {
    const url = new URL(base);
    const fips = aws.fips || input.useFips;
    const port = url.port ? `:${url.port}` : '';
    const host = (service: string) =>
      `${url.protocol}//${service}${fipsPart(service, aws.region, fips)}.${aws.region}.${aws.suffix}${port}`;
    return {
      region: aws.region,
      controlPlane: host('bedrock'),
      runtime: host('bedrock-runtime'),
      sts: input.stsEndpoint ? trimSlash(input.stsEndpoint) : `https://sts${fipsPart('sts', aws.region, fips)}.${aws.region}.${aws.suffix}`,
    };
  }
  const region = input.region ?? (base ? REGION_IN_HOST.exec(safeHostname(base))?.[1] : undefined) ?? DEFAULT_REGION;
  const suffix = partitionSuffix(region);
  const standard = (service: string) => `https://${service}${fipsPart(service, region, input.useFips)}.${region}.${suffix}`;
  const controlPlane = base || (input.bedrockEndpoint ? trimSlash(input.bedrockEndpoint) : standard('bedrock'));
  const runtime = base || (input.runtimeEndpoint ? trimSlash(input.runtimeEndpoint) : standard('bedrock-runtime'));
  return {
    region,
    controlPlane,
    runtime,
    sts: input.stsEndpoint ? trimSlash(input.stsEndpoint) : standard('sts'),
  };
}

function safeHostname(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}
