/**
 * Applies a DynamoDB SET update to an item in memory, so a test can assert what an update does to the item rather than
 * restate the expression's text. Only what the seed's writes use is understood: `SET a = :v, #b = if_not_exists(#b, :w)`.
 * Anything else throws, as do placeholders that are undefined or unused and two actions on one attribute: DynamoDB
 * rejects those too.
 */
export interface SetUpdate {
  UpdateExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
}

/** The comma-separated actions of a clause, leaving the commas inside if_not_exists(...) alone. */
function actionsOf(clause: string): string[] {
  const actions: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < clause.length; i++) {
    if (clause[i] === '(') depth++;
    else if (clause[i] === ')') depth--;
    else if (clause[i] === ',' && depth === 0) {
      actions.push(clause.slice(start, i).trim());
      start = i + 1;
    }
  }
  actions.push(clause.slice(start).trim());
  return actions;
}

const ACTION = /^(#?\w+)\s*=\s*(?:(:\w+)|if_not_exists\(\s*(#?\w+)\s*,\s*(:\w+)\s*\))$/;

/** The item after the update: `item` is the item as stored before it (only its key, for an item that does not exist). */
export function applySetUpdate(before: object, update: SetUpdate): Record<string, unknown> {
  const item = before as Readonly<Record<string, unknown>>;
  const expression = update.UpdateExpression ?? '';
  const clause = /^\s*SET\s+(.+)$/s.exec(expression)?.[1];
  if (clause === undefined) throw new Error(`Not a SET update: ${expression}`);
  const names = update.ExpressionAttributeNames ?? {};
  const values = update.ExpressionAttributeValues ?? {};
  const usedNames = new Set<string>();
  const usedValues = new Set<string>();
  const attribute = (path: string): string => {
    if (!path.startsWith('#')) return path;
    const name = names[path];
    if (name === undefined) throw new Error(`${path} is not in ExpressionAttributeNames`);
    usedNames.add(path);
    return name;
  };
  const value = (placeholder: string): unknown => {
    if (!(placeholder in values)) throw new Error(`${placeholder} is not in ExpressionAttributeValues`);
    usedValues.add(placeholder);
    return values[placeholder];
  };

  const result: Record<string, unknown> = { ...item };
  const assigned = new Set<string>();
  for (const action of actionsOf(clause)) {
    const match = ACTION.exec(action);
    if (!match) throw new Error(`Not understood: ${action}`);
    const [, target, placeholder, checked, fallback] = match;
    const name = attribute(target!);
    if (assigned.has(name)) throw new Error(`Two actions on ${name}`);
    assigned.add(name);
    // Every operand reads the item as it was before the update.
    if (placeholder !== undefined) result[name] = value(placeholder);
    else {
      const current = item[attribute(checked!)];
      const otherwise = value(fallback!);
      result[name] = current !== undefined ? current : otherwise;
    }
  }

  const unusedNames = Object.keys(names).filter((n) => !usedNames.has(n));
  const unusedValues = Object.keys(values).filter((v) => !usedValues.has(v));
  if (unusedNames.length + unusedValues.length > 0)
    throw new Error(`Unused in the expression: ${[...unusedNames, ...unusedValues].join(', ')}`);
  return result;
}
