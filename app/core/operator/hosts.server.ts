// Which Host headers belong to the operator console. The console lives on its own host
// names (OPERATOR_HOSTS, comma-separated; `admin.localhost` in development), never on a
// town's host, so that its cookies are never sent to a tenant portal and vice versa.
const DEFAULT_OPERATOR_HOSTS = "admin.localhost";

let parsed: { raw: string; hosts: ReadonlySet<string> } | undefined;

export function operatorHosts(): ReadonlySet<string> {
  const raw = process.env.OPERATOR_HOSTS ?? DEFAULT_OPERATOR_HOSTS;
  if (parsed?.raw !== raw) {
    const hosts = raw
      .split(",")
      .map((h) => h.trim().replace(/:\d+$/, "").replace(/\.$/, "").toLowerCase())
      .filter(Boolean);
    parsed = { raw, hosts: new Set(hosts) };
  }
  return parsed.hosts;
}

/** `host` as normalised by hostOf() (lowercase, no port). */
export function isOperatorHost(host: string): boolean {
  return operatorHosts().has(host);
}
