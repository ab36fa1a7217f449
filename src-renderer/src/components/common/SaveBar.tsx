interface SaveBarProps {
  dirty: boolean;
  busy: boolean;
  message: string | null;
  onDiscard(): void;
  saveLabel?: string;
}

/** The foot of an editable tab: the form's error, Discard and Save (a submit button of the surrounding form). */
export function SaveBar({ dirty, busy, message, onDiscard, saveLabel = 'Save' }: SaveBarProps) {
  return (
    <div className="save-bar">
      {message ? (
        <p className="form-error" role="alert">
          {message}
        </p>
      ) : (
        <p className="muted save-bar-state" aria-live="polite">
          {dirty ? 'Unsaved changes' : 'All changes saved'}
        </p>
      )}
      <div className="save-bar-actions">
        <button type="button" className="button" onClick={onDiscard} disabled={!dirty || busy}>
          Discard
        </button>
        <button type="submit" className="button button--primary" disabled={!dirty || busy}>
          {busy ? 'Saving…' : saveLabel}
        </button>
      </div>
    </div>
  );
}
