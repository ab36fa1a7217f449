import { useCallback, useEffect, useRef, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCatalog, useProviders, useStores, useUi } from '../../stores';
import { PAGE_SIZE } from '../../stores/providers-store';
import { PlaceholderRow, ProviderRow } from './ProviderRow';

const ROW_HEIGHT = 60;

/** The provider list, virtualized: only the rows on screen (plus a few) are in the DOM, whatever the total. */
export function VirtualProviderList() {
  const { providers, ui } = useStores();
  const total = useProviders((s) => s.total) ?? 0;
  const pages = useProviders((s) => s.pages);
  const types = useCatalog((s) => s.types);
  const route = useUi((s) => s.route);
  const selectedId = route.view === 'providers' ? route.providerId : null;
  const scroller = useRef<HTMLDivElement>(null);
  const pendingFocus = useRef<number | null>(null);

  // The virtualizer re-renders this component itself; nothing here is memoized by the compiler.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  useEffect(() => {
    providers.getState().ensureRange(first, last);
  }, [providers, first, last, total, pages]);

  useEffect(() => {
    if (pendingFocus.current === null) return;
    const row = scroller.current?.querySelector<HTMLElement>(`[data-index="${pendingFocus.current}"]`);
    if (row) {
      row.focus();
      pendingFocus.current = null;
    }
  });

  const onOpen = useCallback((id: string) => ui.getState().openProvider(id), [ui]);
  const labelOf = (type: string) => types.find((t) => t.id === type)?.label ?? type;

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const current = Number((document.activeElement as HTMLElement | null)?.dataset.index ?? -1);
    const moves: Record<string, number> = {
      ArrowDown: current + 1,
      ArrowUp: current - 1,
      Home: 0,
      End: total - 1,
      PageDown: current + 10,
      PageUp: current - 10,
    };
    const target = moves[event.key];
    if (target === undefined || total === 0) return;
    event.preventDefault();
    const index = Math.max(0, Math.min(total - 1, target));
    pendingFocus.current = index;
    virtualizer.scrollToIndex(index, { align: 'auto' });
    scroller.current?.querySelector<HTMLElement>(`[data-index="${index}"]`)?.focus();
  };

  const pageOf = (index: number) => pages[Math.floor(index / PAGE_SIZE)]?.[index % PAGE_SIZE];

  return (
    <div className="provider-scroller" ref={scroller} onKeyDown={onKeyDown}>
      <div
        role="list"
        aria-label="Providers"
        aria-rowcount={total}
        className="provider-list"
        style={{ height: virtualizer.getTotalSize() }}
      >
        {items.map((item) => {
          const provider = pageOf(item.index);
          return (
            <div
              key={item.key}
              role="listitem"
              aria-setsize={total}
              aria-posinset={item.index + 1}
              className="provider-list-item"
              style={{ transform: `translateY(${item.start}px)`, height: item.size }}
            >
              {provider ? (
                <ProviderRow
                  provider={provider}
                  typeLabel={labelOf(provider.type)}
                  selected={provider.id === selectedId || provider.name === selectedId}
                  index={item.index}
                  onOpen={onOpen}
                />
              ) : (
                <PlaceholderRow />
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}
