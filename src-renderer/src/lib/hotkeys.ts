import { useEffect, useRef } from 'react';

/** `mod` is Ctrl, or ⌘ on macOS. */
export type Hotkey = 'mod+k' | 'mod+n' | 'mod+s';

/** Global shortcuts (Ctrl+K search, Ctrl+N new provider, Ctrl+S save); they also work from inside text fields. */
export function useHotkeys(bindings: Partial<Record<Hotkey, () => void>>): void {
  const latest = useRef(bindings);
  useEffect(() => {
    latest.current = bindings;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
      const key = `mod+${event.key.toLowerCase()}` as Hotkey;
      const action = latest.current[key];
      if (!action) return;
      event.preventDefault();
      action();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
