// The README's Node quick start must run as written: its code block is executed verbatim by Node 22
// against the built package (self-referenced as 'tokenmint' from inside the checkout).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function _codeBlockAfter(heading: string): string {
  const readme = readFileSync(`${ROOT}README.md`, 'utf8');
  const section = readme.slice(readme.indexOf(heading));
  const match = /```js\n([\s\S]*?)```/.exec(section);
  if (!match) throw new Error(`no js block after ${heading}`);
  return match[1]!;
}

it('the Node quick start runs as written and prints what its comments say', () => {
  const code = _codeBlockAfter('## Quick start (Node)');
  mkdirSync(`${ROOT}.cache`, { recursive: true });
  const file = `${ROOT}.cache/readme-quick-start.mjs`;
  writeFileSync(file, code);
  const output = execFileSync(process.execPath, [file], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
  const expected = [...code.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((m) => m[1]);
  expect(expected.length).toBeGreaterThan(0);
  expect(output.trim().split('\n')).toEqual(expected);
});
