/**
 * IP address literals and CIDR blocks as EventBridge reads them: dotted IPv4
 * and colon-hex IPv6 (with `::`), compared as integers so that `10.0.0.1`
 * and the IPv6 spellings of one address compare equal.
 */
import type { IpAddress } from './ast';

const IPV4_SHAPE = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6_SHAPE = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;

/** Quick shape test (the same one EventBridge uses) before the full parse. */
export function looksLikeIp(text: string): boolean {
  return IPV4_SHAPE.test(text) || IPV6_SHAPE.test(text);
}

function parseIpv4(text: string): bigint | null {
  let value = 0n;
  for (const part of text.split('.')) {
    if (part.length > 3) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

function parseHextets(text: string): number[] | null {
  if (text === '') return [];
  const out: number[] = [];
  for (const part of text.split(':')) {
    if (part.length === 0 || part.length > 4) return null;
    out.push(parseInt(part, 16));
  }
  return out;
}

function parseIpv6(text: string): bigint | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = parseHextets(halves[0]);
  const tail = halves.length === 2 ? parseHextets(halves[1]) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

/** Parses an IP address literal, or returns null when `text` is not one. */
export function parseIp(text: string): IpAddress | null {
  if (IPV4_SHAPE.test(text)) {
    const value = parseIpv4(text);
    return value === null ? null : { family: 4, value };
  }
  if (IPV6_SHAPE.test(text)) {
    const value = parseIpv6(text);
    return value === null ? null : { family: 6, value };
  }
  return null;
}

export interface CidrBlock {
  family: 4 | 6;
  low: bigint;
  high: bigint;
}

/**
 * Parses `address/bits`. Returns the block or the reason EventBridge gives for
 * refusing it (its mask limits are < 32 for IPv4 and < 128 for IPv6).
 */
export function parseCidr(text: string): CidrBlock | string {
  const parts = text.split('/');
  if (parts.length !== 2) return `malformed CIDR "${text}": exactly one "/" is required (e.g. "10.0.0.0/24")`;
  if (!/^-?[0-9]+$/.test(parts[1])) return `malformed CIDR "${text}": mask bits must be an integer`;
  const bits = Number(parts[1]);
  if (bits < 0) return `malformed CIDR "${text}": mask bits must not be negative`;
  const ip = parseIp(parts[0]);
  if (!ip) return `malformed CIDR "${text}": "${parts[0]}" is not an IPv4 or IPv6 address`;
  const width = ip.family === 4 ? 32 : 128;
  if (bits > width - 1) return `malformed CIDR "${text}": IPv${ip.family} mask bits must be < ${width}`;
  const hostBits = BigInt(width - bits);
  const hostMask = (1n << hostBits) - 1n;
  const low = ip.value & ~hostMask;
  return { family: ip.family, low, high: low | hostMask };
}
