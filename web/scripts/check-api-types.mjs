// Fails when src/api/schema.d.ts is not what openapi-typescript makes of docs/api/openapi.json
// today: the front end's API types and the server's contract cannot drift apart unnoticed.
// Fix: `npm run api:generate` (then `npm run typecheck` shows what the change breaks).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = join(dirname(fileURLToPath(import.meta.url)), '..');
const committed = join(web, 'src', 'api', 'schema.d.ts');
const tmp = mkdtempSync(join(tmpdir(), 'tandem-api-'));
try {
  const fresh = join(tmp, 'schema.d.ts');
  execFileSync(
    process.execPath,
    [join(web, 'node_modules', 'openapi-typescript', 'bin', 'cli.js'),
     join(web, '..', 'docs', 'api', 'openapi.json'), '-o', fresh],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (readFileSync(fresh, 'utf8') !== readFileSync(committed, 'utf8')) {
    console.error('web/src/api/schema.d.ts is out of date with docs/api/openapi.json:');
    console.error('run `npm run api:generate` in web/ and fix what `npm run typecheck` reports.');
    process.exit(1);
  }
  console.log('api types: src/api/schema.d.ts matches docs/api/openapi.json');
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
