import type { BrowserWindow, Rectangle } from 'electron';
import type { Preferences, PreferencesData } from '../core/preferences.js';

export const DEFAULT_WINDOW_SIZE = { width: 1240, height: 820 } as const;
export const MIN_WINDOW_SIZE = { width: 880, height: 560 } as const;

/** How much of a window must lie on a display for it to count as reachable (its title bar can still be grabbed). */
const MIN_VISIBLE = { width: 120, height: 40 } as const;
/** Moves and resizes come in bursts: the bounds are written once the burst is over. */
export const SAVE_DELAY_MS = 500;

export interface RestoredBounds {
  bounds: { width: number; height: number; x?: number; y?: number };
  maximized: boolean;
}

/**
 * Where to open the window: the saved size and place — without the place when it lies on no display any more (a
 * monitor was unplugged), so the window opens centred instead of out of reach.
 */
export function restoredBounds(saved: PreferencesData['windowBounds'], displays: ReadonlyArray<{ workArea: Rectangle }>): RestoredBounds {
  if (!saved) return { bounds: { ...DEFAULT_WINDOW_SIZE }, maximized: false };
  const width = Math.max(saved.width, MIN_WINDOW_SIZE.width);
  const height = Math.max(saved.height, MIN_WINDOW_SIZE.height);
  const maximized = saved.maximized === true;
  if (saved.x === undefined || saved.y === undefined) return { bounds: { width, height }, maximized };
  const place = { x: saved.x, y: saved.y, width, height };
  const reachable = displays.some(({ workArea }) => {
    const overlapWidth = Math.min(place.x + width, workArea.x + workArea.width) - Math.max(place.x, workArea.x);
    const overlapHeight = Math.min(place.y + height, workArea.y + workArea.height) - Math.max(place.y, workArea.y);
    return overlapWidth >= MIN_VISIBLE.width && overlapHeight >= MIN_VISIBLE.height;
  });
  return { bounds: reachable ? place : { width, height }, maximized };
}

type TrackedWindow = Pick<BrowserWindow, 'getNormalBounds' | 'isMaximized' | 'isDestroyed'> & {
  on(event: 'move' | 'resize' | 'maximize' | 'unmaximize' | 'close', listener: () => void): unknown;
};

/**
 * Keeps the window's place in the `windowBounds` preference: after each burst of moves and resizes, at once when it
 * is maximised or restored, and when it closes. The normal bounds are kept while maximised, so un-maximising after
 * a restart goes back to them.
 */
export function keepWindowBounds(window: TrackedWindow, preferences: Pick<Preferences, 'set'>, delayMs = SAVE_DELAY_MS): () => void {
  let timer: NodeJS.Timeout | undefined;
  const save = () => {
    clearTimeout(timer);
    timer = undefined;
    if (window.isDestroyed()) return;
    const { x, y, width, height } = window.getNormalBounds();
    preferences.set('windowBounds', { x, y, width, height, maximized: window.isMaximized() });
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(save, delayMs);
  };
  window.on('move', later);
  window.on('resize', later);
  window.on('maximize', save);
  window.on('unmaximize', save);
  window.on('close', save);
  return () => clearTimeout(timer);
}
