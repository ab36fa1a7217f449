import type { FieldError } from '@contract/errors';
import { DeskClientError } from '../../client/desk-client';
import { plural } from '../../lib/format';

/** The fields an import refused, each with its JSON path; none for other failures (a wrong passphrase, a conflict). */
export function problemsOf(error: unknown): FieldError[] {
  return error instanceof DeskClientError && error.code === 'validation_failed' ? error.fields : [];
}

/**
 * Every problem the backend found in the file, each with its JSON path (`providers.openai.keys[0].value`), so the
 * whole file can be fixed in one go; the list scrolls when it is long.
 */
export function ImportProblems({ problems }: { problems: readonly FieldError[] }) {
  return (
    <section className="banner banner--error import-problems" role="alert" aria-labelledby="import-problems-title">
      <h3 id="import-problems-title" className="banner-title">
        {plural(problems.length, 'problem')} in this file; nothing was changed
      </h3>
      <ol className="import-problem-list" aria-label="Problems in the file">
        {problems.map((problem, index) => (
          <li key={`${index}-${problem.path}`}>
            <code className="mono">{problem.path || '(file)'}</code> <span>{problem.message}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
