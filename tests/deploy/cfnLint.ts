/**
 * cfn-lint (AWS's CloudFormation linter) where it is installed: on this kind of machine it comes with the image's
 * Python, not from npm or Debian, so CI and a user's machine may not have it. Absent, the tier says so in one line.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import type { Finding, Template } from './specCheck';

/** Warnings cfn-lint gives every template the Framework writes, each harmless, and why. */
export const KNOWN_BENIGN: Record<string, string> = {
  W3005:
    "The Framework gives each function a DependsOn on its role and log group, which the function's GetAtt of the role already implies.",
  W8003:
    'Stage parameters are resolved by the Framework before CloudFormation sees them, so each switch (createMysfitsTable, userPoolId, ...) compares two literals.',
  W1028: 'For the same reason, the branch a switch does not take is unreachable in that packaging.',
};

export function cfnLintPath(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v cfn-lint'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

interface LintMatch {
  Rule: { Id: string };
  Level: string;
  Message: string;
  Location: { Path: Array<string | number> };
}

/** cfn-lint's findings on the template, without the known benign ones. */
export function cfnLint(binary: string, template: Template, file: string): Finding[] {
  writeFileSync(file, JSON.stringify(template));
  const run = spawnSync(binary, ['--format', 'json', file], { encoding: 'utf8', timeout: 120_000 });
  if (run.error) throw run.error;
  let matches: LintMatch[];
  try {
    matches = JSON.parse(run.stdout || '[]') as LintMatch[];
  } catch {
    throw new Error(`cfn-lint exited ${run.status} without a JSON report: ${(run.stderr || run.stdout).slice(0, 500)}`);
  }
  return matches
    .filter((m) => !(m.Rule.Id in KNOWN_BENIGN))
    .map((m) => ({ at: m.Location.Path.join('.'), problem: `cfn-lint ${m.Rule.Id} (${m.Level}): ${m.Message}` }));
}
