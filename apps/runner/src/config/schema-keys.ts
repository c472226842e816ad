import { z } from 'zod';

/** Every object key the schema knows, each as a path from the root (records and arrays not entered). */
export function schemaPaths(schema: z.ZodType): string[][] {
  const paths: string[][] = [];
  const walk = (node: z.ZodType, path: string[]): void => {
    for (const [key, child] of Object.entries(objectShapes(node))) {
      paths.push([...path, key]);
      walk(child, [...path, key]);
    }
  };
  walk(schema, []);
  return paths;
}

/** The keys allowed at `path` (those of every shape a union there may take). */
export function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let nodes: z.ZodType[] = [schema];
  for (const segment of path) {
    if (typeof segment !== 'string') return [];
    nodes = nodes.flatMap((node) => {
      const child = objectShapes(node)[segment];
      return child ? [child] : [];
    });
  }
  return [...new Set(nodes.flatMap((node) => Object.keys(objectShapes(node))))];
}

/** The fields of an object schema, through optional wrappers and every branch of a union. */
function objectShapes(node: z.ZodType): Record<string, z.ZodType> {
  if (node instanceof z.ZodOptional) return objectShapes(node.unwrap() as z.ZodType);
  if (node instanceof z.ZodObject) return node.shape as Record<string, z.ZodType>;
  if (node instanceof z.ZodUnion) {
    return Object.assign({}, ...(node.options as z.ZodType[]).map((option) => objectShapes(option)));
  }
  return {};
}
