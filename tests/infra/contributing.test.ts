/**
 * CONTRIBUTING.md's example route deploys in every variant the README documents: its handler and its serverless.yml
 * entry, read from CONTRIBUTING.md itself, added to a copy of the service, packaged for prod as it is by default and
 * with every adoption switch (createMysfitsTable, createActivityTable, userPoolId), the firewall off and the legacy
 * switch on; no template refers to a resource it does not make (a `!GetAtt` of a conditional table would).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../dev/paths';
import { danglingReferences, packageProd, resource, textOf, type Template } from './package';

const POOL_ID = 'us-east-1_AbCdEf123';
const VARIANTS: Record<string, Record<string, string>> = {
  'by default': {},
  'adopting the kept tables and pool, no firewall, the legacy switch on': {
    createMysfitsTable: 'false',
    createActivityTable: 'false',
    userPoolId: POOL_ID,
    webFirewall: 'false',
    legacyNlbArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/mysfits-nlb/0123456789abcdef',
    legacyNlbDnsName: 'mysfits-nlb-0123456789abcdef.elb.us-east-1.amazonaws.com',
  },
};

/** The fenced blocks of one language in CONTRIBUTING.md's "Adding a route", without the list's indentation. */
function examples(markdown: string, language: string): string[] {
  const section = markdown.split(/^## /m).find((part) => part.startsWith('Adding a route'));
  if (!section) throw new Error('CONTRIBUTING.md has no section "Adding a route"');
  return [...section.matchAll(new RegExp(`^( *)\`\`\`${language}\\n([\\s\\S]*?)^\\1\`\`\`$`, 'gm'))].map(([, indent, body]) =>
    (body ?? '')
      .split('\n')
      .map((line) => line.slice((indent ?? '').length))
      .join('\n'),
  );
}

/** serverless.yml with the example's entry added under `functions:`. */
function withFunction(serviceYml: string, entry: string): string {
  const indented = entry
    .trimEnd()
    .split('\n')
    .map((line) => (line ? `  ${line}` : line))
    .join('\n');
  if (!/^functions:\n/m.test(serviceYml)) throw new Error('serverless.yml has no functions: section');
  return serviceYml.replace(/^functions:\n/m, `functions:\n${indented}\n\n`);
}

const templates: Record<string, Template> = {};

beforeAll(async () => {
  const contributing = await readFile(join(PROJECT_ROOT, 'CONTRIBUTING.md'), 'utf8');
  const [handler] = examples(contributing, 'ts');
  const [entry] = examples(contributing, 'yaml');
  if (!handler || !entry) throw new Error('CONTRIBUTING.md\'s "Adding a route" has no ```ts or no ```yaml example');
  const addExample = async (root: string) => {
    await writeFile(join(root, 'functions', 'listFans.ts'), handler);
    // The data access the example leaves to the reader: just enough for the handler to bundle.
    await writeFile(join(root, 'shared', 'fans.ts'), 'export const fansOf = async (mysfitId: string): Promise<string[]> => [mysfitId];\n');
    const serviceYml = join(root, 'serverless.yml');
    await writeFile(serviceYml, withFunction(await readFile(serviceYml, 'utf8'), entry));
  };
  const packaged = await Promise.all(Object.values(VARIANTS).map((params) => packageProd(params, addExample)));
  Object.keys(VARIANTS).forEach((name, i) => (templates[name] = packaged[i]!.template));
}, 240_000);

describe.each(Object.keys(VARIANTS))("CONTRIBUTING.md's example route, %s", (variant) => {
  test('its function and its route are in the template', () => {
    const template = templates[variant]!;
    expect(resource(template, 'ListFansLambdaFunction').Type).toBe('AWS::Lambda::Function');
    expect(resource(template, 'ApiGatewayMethodMysfitsMysfitidVarFansGet').Type).toBe('AWS::ApiGateway::Method');
  });

  test('its role names the activity table by ARN, whether the stack makes the table or adopts it', () => {
    const template = templates[variant]!;
    const policies = JSON.stringify(resource(template, 'ListFansRole').Properties?.Policies);
    expect(policies).toContain('dynamodb:Query');
    const statement = (JSON.parse(policies) as Array<{ PolicyDocument: { Statement: Array<{ Action: unknown; Resource: unknown }> } }>)
      .flatMap((p) => p.PolicyDocument.Statement)
      .find((s) => JSON.stringify(s.Action).includes('dynamodb:Query'));
    expect(textOf(statement?.Resource)).toMatch(/:table\/mysfits-prod-user-activity$/);
  });

  test('nothing in the template refers to a resource it does not make', () => {
    const { referenced, dangling } = danglingReferences(templates[variant]!);
    expect(referenced).toContain('ListFansLambdaFunction'); // the references are found at all
    expect(dangling).toEqual([]);
  });
});
