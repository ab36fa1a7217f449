import { useStores, useUi } from '../../stores';
import { Icon } from './Icon';

/** Short confirmations and errors, announced politely to screen readers. */
export function Toasts() {
  const toasts = useUi((s) => s.toasts);
  const { ui } = useStores();
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast toast--${toast.tone}`}>
          <Icon name={toast.tone === 'error' ? 'alert' : 'check'} />
          <span>{toast.text}</span>
          <button
            type="button"
            className="icon-button icon-button--small"
            aria-label="Dismiss"
            onClick={() => ui.getState().dismissToast(toast.id)}
          >
            <Icon name="x" size={14} />
          </button>
        </div>
      ))}
    </div>
  );
}
