/**
 * A CloudFormation template checked against AWS's own resource specification (@aws-cdk/aws-service-spec, pinned in
 * package.json): every resource's type, its property names, its required properties and the shape of each value,
 * and every Ref, Fn::GetAtt, Fn::Sub reference, DependsOn and condition it names. What AWS would otherwise find
 * mid-deploy, with a rollback. Intrinsic functions stand for a value of any shape (their result is known at deploy).
 */
import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec';
import type { Property, PropertyType, SpecDatabase, TypeDefinition } from '@aws-cdk/service-spec-types';

export interface Finding {
  /** Where: `Resources.MysfitsTable.Properties.TableNmae`. */
  at: string;
  problem: string;
}

export interface Template {
  Conditions?: Record<string, unknown>;
  Parameters?: Record<string, unknown>;
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; DependsOn?: string | string[]; Condition?: string }>;
  Outputs?: Record<string, { Value: unknown; Condition?: string }>;
}

let database: SpecDatabase | undefined;
/** The specification, loaded once (about a third of a second). */
export const spec = (): SpecDatabase => (database ??= loadAwsServiceSpecSync());

const INTRINSICS = new Set([
  'Ref',
  'Fn::GetAtt',
  'Fn::Sub',
  'Fn::Join',
  'Fn::If',
  'Fn::Select',
  'Fn::Split',
  'Fn::GetAZs',
  'Fn::ImportValue',
  'Fn::FindInMap',
  'Fn::Base64',
  'Fn::Cidr',
  'Fn::Equals',
  'Fn::Not',
  'Fn::And',
  'Fn::Or',
  'Fn::Length',
  'Fn::ToJsonString',
]);

const isIntrinsic = (value: unknown): value is Record<string, unknown> => {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && INTRINSICS.has(keys[0] as string);
};

function resourceSpec(type: string) {
  return spec().lookup('resource', 'cloudFormationType', 'equals', type)[0];
}

/** The type a property holds, checked against a value; findings go to `out`. */
function checkValue(type: PropertyType, value: unknown, at: string, out: Finding[]): void {
  if (isIntrinsic(value)) {
    // A condition's branches are values themselves; every other function's result is known only at deploy time.
    const [fn, args] = Object.entries(value)[0] as [string, unknown];
    if (fn === 'Fn::If' && Array.isArray(args)) {
      for (const branch of args.slice(1)) {
        if (!(isIntrinsic(branch) && (branch as { Ref?: unknown }).Ref === 'AWS::NoValue')) checkValue(type, branch, at, out);
      }
    }
    return;
  }
  const wrong = (expected: string): void => {
    out.push({ at, problem: `expected ${expected}, got ${JSON.stringify(value)?.slice(0, 80)}` });
  };
  switch (type.type) {
    case 'string':
      if (!['string', 'number', 'boolean'].includes(typeof value)) return wrong('a string');
      return;
    case 'number':
    case 'integer':
      if (typeof value === 'number') return type.type === 'integer' && !Number.isInteger(value) ? wrong('an integer') : undefined;
      if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return;
      return wrong(type.type === 'integer' ? 'an integer' : 'a number');
    case 'boolean':
      if (typeof value === 'boolean' || value === 'true' || value === 'false') return;
      return wrong('a boolean');
    case 'json':
    case 'date-time':
    case 'null':
      return;
    case 'tag':
      if (!value || typeof value !== 'object') return wrong('a tag');
      return;
    case 'array':
      if (!Array.isArray(value)) return wrong('a list');
      value.forEach((element, i) => checkValue(type.element, element, `${at}[${i}]`, out));
      return;
    case 'map':
      if (!value || typeof value !== 'object' || Array.isArray(value)) return wrong('a map');
      for (const [key, element] of Object.entries(value)) checkValue(type.element, element, `${at}.${key}`, out);
      return;
    case 'union': {
      // Acceptable when one of the types takes it.
      const tries = type.types.map((t) => {
        const found: Finding[] = [];
        checkValue(t, value, at, found);
        return found;
      });
      if (!tries.some((found) => found.length === 0)) out.push(...(tries.sort((a, b) => a.length - b.length)[0] ?? []));
      return;
    }
    case 'ref': {
      const definition = spec().get('typeDefinition', type.reference.$ref) as TypeDefinition;
      if (!value || typeof value !== 'object' || Array.isArray(value)) return wrong(`an object (${definition.name})`);
      checkProperties(definition.properties, value as Record<string, unknown>, at, out);
      return;
    }
    default:
      return;
  }
}

/** Names, required properties and values of an object against its specification. */
function checkProperties(properties: Record<string, Property>, value: Record<string, unknown>, at: string, out: Finding[]): void {
  for (const [name, propertyValue] of Object.entries(value)) {
    const property = properties[name];
    if (!property) {
      out.push({ at: `${at}.${name}`, problem: `no such property (known: ${Object.keys(properties).sort().join(', ')})` });
      continue;
    }
    checkValue(property.type, propertyValue, `${at}.${name}`, out);
  }
  for (const [name, property] of Object.entries(properties)) {
    if (property.required && !(name in value)) out.push({ at: `${at}.${name}`, problem: 'required, and missing' });
  }
}

/** Every place the template refers to a resource, attribute, parameter or condition, each checked. */
function checkReferences(template: Template, out: Finding[]): void {
  const resources = template.Resources;
  const names = new Set([...Object.keys(resources), ...Object.keys(template.Parameters ?? {})]);
  const conditions = new Set(Object.keys(template.Conditions ?? {}));
  const checkRef = (target: string, at: string) => {
    if (!target.startsWith('AWS::') && !names.has(target))
      out.push({ at, problem: `refers to ${target}, which the template does not define` });
  };
  const checkAttribute = (target: string, attribute: string, at: string) => {
    const resource = resources[target];
    if (!resource) {
      out.push({ at, problem: `gets ${target}.${attribute}, but the template has no ${target}` });
      return;
    }
    const known = resourceSpec(resource.Type);
    if (!known) return;
    if (!(attribute in known.attributes) && !resource.Type.startsWith('Custom::')) {
      out.push({
        at,
        problem: `${resource.Type} has no attribute ${attribute} (it has: ${Object.keys(known.attributes).join(', ') || 'none'})`,
      });
    }
  };
  const walk = (value: unknown, at: string): void => {
    if (Array.isArray(value)) return value.forEach((v, i) => walk(v, `${at}[${i}]`));
    if (!value || typeof value !== 'object') return;
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Ref' && typeof inner === 'string') checkRef(inner, at);
      else if (key === 'Fn::GetAtt') {
        const [target, ...rest] = typeof inner === 'string' ? inner.split('.') : (inner as string[]);
        if (typeof target === 'string' && rest.every((r) => typeof r === 'string')) checkAttribute(target, rest.join('.'), at);
      } else if (key === 'Fn::Sub') {
        const [text, variables = {}] = Array.isArray(inner) ? inner : [inner];
        if (typeof text === 'string') {
          for (const [, name] of text.matchAll(/\$\{([^}!][^}]*)\}/g)) {
            if (!name || Object.hasOwn(variables as object, name)) continue;
            const [target, ...attribute] = name.split('.');
            if (attribute.length > 0) checkAttribute(target as string, attribute.join('.'), at);
            else checkRef(target as string, at);
          }
        }
        walk(variables, at);
        continue;
      } else if (key === 'Fn::If' && Array.isArray(inner) && typeof inner[0] === 'string' && !conditions.has(inner[0])) {
        out.push({ at, problem: `uses the condition ${inner[0]}, which the template does not define` });
      }
      walk(inner, `${at}.${key}`);
    }
  };
  for (const [id, resource] of Object.entries(resources)) {
    walk(resource.Properties ?? {}, `Resources.${id}.Properties`);
    for (const target of [resource.DependsOn ?? []].flat()) {
      if (!resources[target])
        out.push({ at: `Resources.${id}.DependsOn`, problem: `depends on ${target}, which the template does not define` });
    }
    if (resource.Condition && !conditions.has(resource.Condition)) {
      out.push({ at: `Resources.${id}.Condition`, problem: `the condition ${resource.Condition} is not defined` });
    }
  }
  walk(template.Outputs ?? {}, 'Outputs');
  walk(template.Conditions ?? {}, 'Conditions');
}

/** Everything the specification can say about the template; empty when it would pass. */
export function checkAgainstSpec(template: Template): Finding[] {
  const out: Finding[] = [];
  for (const [id, resource] of Object.entries(template.Resources)) {
    const at = `Resources.${id}`;
    if (resource.Type.startsWith('Custom::')) continue;
    const known = resourceSpec(resource.Type);
    if (!known) {
      out.push({ at: `${at}.Type`, problem: `${resource.Type} is not a CloudFormation resource type` });
      continue;
    }
    checkProperties(known.properties, resource.Properties ?? {}, `${at}.Properties`, out);
  }
  checkReferences(template, out);
  return out;
}
