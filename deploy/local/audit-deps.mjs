// Reads the output of `dotnet list package --vulnerable --include-transitive --format json` and of
// `npm audit --omit=dev --json` and says what it found. Pure functions (nugetFindings, npmFindings, verdict)
// and a small command line used by audit-deps.sh:  node audit-deps.mjs nuget|npm FILE
// Exit codes: 0 nothing high or critical; 1 high or critical found; 2 the advisory data could not be had.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const gating = new Set(['high', 'critical']);

/** The vulnerable packages in dotnet's JSON report, and whether its sources served advisory data at all. */
export function nugetFindings(text) {
  let report;
  try {
    report = JSON.parse(text);
  } catch {
    return { available: false, why: 'dotnet did not answer with a JSON report', findings: [] };
  }

  const problems = (report.problems ?? []).map(p => p.text ?? String(p));
  const noData = problems.filter(p => /did not provide any vulnerability data|unable to load the service index|failed to retrieve|NU1900|NU1905/i.test(p));
  const findings = [];
  for (const project of report.projects ?? []) {
    for (const framework of project.frameworks ?? []) {
      for (const pkg of [...(framework.topLevelPackages ?? []), ...(framework.transitivePackages ?? [])]) {
        for (const v of pkg.vulnerabilities ?? []) {
          findings.push({ name: pkg.id, version: pkg.resolvedVersion, severity: String(v.severity).toLowerCase(), advisory: v.advisoryurl ?? '', where: project.path });
        }
      }
    }
  }

  return noData.length > 0 && findings.length === 0
    ? { available: false, why: noData.join('; '), findings }
    : { available: true, why: '', findings };
}

/** The vulnerable packages in npm's JSON audit report, and whether the advisory endpoint answered. */
export function npmFindings(text) {
  let report;
  try {
    report = JSON.parse(text);
  } catch {
    return { available: false, why: 'npm did not answer with a JSON report', findings: [] };
  }

  if (report.error || report.message || !report.metadata?.vulnerabilities) {
    return { available: false, why: report.message ?? report.error?.summary ?? 'no audit metadata in the report', findings: [] };
  }

  const findings = Object.values(report.vulnerabilities ?? {}).map(v => ({
    name: v.name, version: v.range ?? '', severity: String(v.severity).toLowerCase(),
    advisory: (v.via ?? []).map(x => (typeof x === 'object' ? x.url : '')).filter(Boolean).join(' '), where: 'package-lock.json',
  }));
  return { available: true, why: '', findings, audited: report.metadata.dependencies?.prod ?? null };
}

/** 1 when any finding is high or critical, 2 when the data was not available, else 0; with lines to print. */
export function verdict(tool, result) {
  if (!result.available) {
    return { code: 2, lines: [`${tool}: VULNERABILITY DATA UNAVAILABLE (${result.why}); nothing was checked, this is NOT a clean result.`] };
  }

  const bad = result.findings.filter(f => gating.has(f.severity));
  const lines = result.findings.map(f => `${tool}: ${f.severity.toUpperCase()} ${f.name} ${f.version} ${f.advisory} (${f.where})`);
  if (result.audited != null) {
    // npm counts the root project itself; zero means the tree has no production dependencies to check.
    lines.push(`${tool}: ${Math.max(0, result.audited - 1)} production package(s) audited`);
  }

  lines.push(`${tool}: ${result.findings.length} vulnerable package(s), ${bad.length} high or critical`);
  return { code: bad.length > 0 ? 1 : 0, lines };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [tool, file] = process.argv.slice(2);
  const text = readFileSync(file, 'utf8');
  const result = tool === 'nuget' ? nugetFindings(text) : tool === 'npm' ? npmFindings(text) : null;
  if (!result) {
    console.error('usage: node audit-deps.mjs nuget|npm FILE');
    process.exit(64);
  }

  const { code, lines } = verdict(tool, result);
  for (const line of lines) {
    console.log(line);
  }

  process.exit(code);
}
