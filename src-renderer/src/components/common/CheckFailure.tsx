import type { CheckResult } from '@contract/domain-schemas';

/** A failed check's message, and its hint unless the message already says it: what to do about the failure. */
export function CheckFailure({ result }: { result: Pick<CheckResult, 'message' | 'hint'> }) {
  return (
    <span className="test-result-message">
      {result.message}
      {result.hint && !result.message.includes(result.hint) && <span className="test-result-hint"> {result.hint}</span>}
    </span>
  );
}
