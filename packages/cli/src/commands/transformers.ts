import { transformerCatalogue, type Catalogue, type ParameterInfo, type TransformerInfo } from '@masque/core';

export interface TransformersOptions {
  json?: boolean;
}

/** `type, required` or `type, default X`: what a user must know to write the parameter. */
function parameterLine(p: ParameterInfo, width: number): string {
  const facts = [
    p.type,
    p.required ? 'required' : undefined,
    'default' in p ? `default ${JSON.stringify(p.default)}` : undefined,
  ];
  return `    ${p.name.padEnd(width)}  ${facts.filter(Boolean).join(', ')}`;
}

function transformerText(t: TransformerInfo): string {
  const lines = [`  ${t.name} — ${t.description}`, `    columns: ${t.columnTypes?.join(', ') ?? 'any'}`];
  const width = Math.max(0, ...t.parameters.map((p) => p.name.length));
  for (const p of t.parameters) {
    lines.push(parameterLine(p, width));
    if (p.description) lines.push(`    ${' '.repeat(width)}  ${p.description}`);
  }
  return lines.join('\n');
}

/** The catalogue for people: every builtin with its parameters, then faker's modules. */
export function renderCatalogue(catalogue: Catalogue): string {
  const { transformers, faker } = catalogue;
  const modules = Object.entries(faker.modules).map(
    ([module, methods]) => `  ${module} (${methods.length}): ${methods.join(', ')}`,
  );
  return [
    `${transformers.length} builtin transformers and ${faker.count} faker methods. ` +
      'In a rule: `column: NAME` or `column: { transform: NAME, ...parameters }`.',
    '',
    transformers.map(transformerText).join('\n\n'),
    '',
    `Faker methods (${faker.count}): ${faker.naming}.`,
    ...modules,
    '',
  ].join('\n');
}

/** `masque transformers`: the catalogue, generated from the transformer definitions. */
export function transformersCommand(options: TransformersOptions, out: NodeJS.WritableStream = process.stdout): void {
  const catalogue = transformerCatalogue();
  out.write(options.json ? `${JSON.stringify(catalogue, null, 2)}\n` : renderCatalogue(catalogue));
}
