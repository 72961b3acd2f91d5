/**
 * The client's IP address for the per-IP limits (SPEC §7 proxies). Each proxy appends the address
 * it received the request from to X-Forwarded-For, so behind `hops` proxies of your own the client
 * is the entry `hops` places from the right; entries further left were written by the client and
 * prove nothing. A missing or malformed entry leaves the socket's peer as the client.
 */
import { isIP } from 'node:net';

export interface ProxyTrust {
  trustProxy: boolean;
  /** How many proxies of your own stand in front of the API (≥ 1). */
  hops: number;
}

export function clientIp(
  socketAddress: string,
  forwardedFor: string,
  { trustProxy, hops }: ProxyTrust,
): string {
  if (!trustProxy || forwardedFor === '') return socketAddress;
  const entries = forwardedFor.split(',').map((entry) => entry.trim());
  const candidate = entries.length >= hops ? entries[entries.length - hops] : '';
  return isIP(candidate) ? candidate : socketAddress;
}
