import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCatalog, useProviders, useStores, useUi } from '../../stores';
import { PAGE_SIZE } from '../../stores/providers-store';
import { PlaceholderRow, ProviderRow } from './ProviderRow';
import { isTypeAheadKey, moveIndex, TypeAhead, typeAheadIndex } from './list-navigation';

const ROW_HEIGHT = 60;

interface ListProps {
  /** The list box itself (the search box's ↓ focuses it). */
  listRef: RefObject<HTMLDivElement | null>;
  /** Where ↑ on the first row goes. */
  searchRef: RefObject<HTMLInputElement | null>;
}

/**
 * The provider list, virtualized (only the rows on screen, plus a few, are in the DOM whatever the total) and one tab
 * stop: a list box whose active row follows ↑/↓, Home/End, Page Up/Down and type-ahead, announced through
 * aria-activedescendant so focus never sits on a row the virtualizer may remove. Enter or a click opens the row.
 */
export function VirtualProviderList({ listRef, searchRef }: ListProps) {
  const { providers, ui } = useStores();
  const total = useProviders((s) => s.total) ?? 0;
  const pages = useProviders((s) => s.pages);
  const query = useProviders((s) => s.query);
  const types = useCatalog((s) => s.types);
  const route = useUi((s) => s.route);
  const selectedId = route.view === 'providers' ? route.providerId : null;
  const base = useId();
  const typeAhead = useRef(new TypeAhead());
  const [active, setActive] = useState<number | null>(null);
  // A new search, filter or order is a new list: the keyboard starts again from its top.
  const [activeQuery, setActiveQuery] = useState(query);
  if (activeQuery !== query) {
    setActiveQuery(query);
    setActive(null);
  }
  const activeIndex = active === null || total === 0 ? null : Math.min(active, total - 1);

  // The virtualizer re-renders this component itself; nothing here is memoized by the compiler.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => listRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  useEffect(() => {
    providers.getState().ensureRange(first, last);
  }, [providers, first, last, total, pages]);

  const itemAt = (index: number) => pages[Math.floor(index / PAGE_SIZE)]?.[index % PAGE_SIZE];
  const labelOf = (type: string) => types.find((t) => t.id === type)?.label ?? type;

  const activate = (index: number) => {
    setActive(index);
    virtualizer.scrollToIndex(index, { align: 'auto' });
  };

  const onOpen = useCallback(
    (id: string, index: number) => {
      setActive(index);
      ui.getState().openProvider(id);
    },
    [ui],
  );

  /** Where the keyboard starts when the list gets focus: the open provider's row if it is loaded, else the first. */
  const onFocus = () => {
    if (activeIndex !== null || total === 0) return;
    let start = 0;
    for (const [page, rows] of Object.entries(pages)) {
      const at = rows.findIndex((p) => p.id === selectedId || p.name === selectedId);
      if (at >= 0) start = Number(page) * PAGE_SIZE + at;
    }
    // No scrolling here: a click focuses the list first, and the row under the pointer must stay where it is.
    setActive(start);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'ArrowUp' && activeIndex === 0 && searchRef.current) {
      event.preventDefault();
      searchRef.current.focus();
      return;
    }
    const moved = moveIndex(event.key, activeIndex, total);
    if (moved !== null) {
      event.preventDefault();
      activate(moved);
      return;
    }
    if (event.key === 'Enter') {
      const provider = activeIndex === null ? undefined : itemAt(activeIndex);
      if (provider && activeIndex !== null) {
        event.preventDefault();
        onOpen(provider.id, activeIndex);
      }
      return;
    }
    if (isTypeAheadKey(event)) {
      event.preventDefault();
      const typed = typeAhead.current.push(event.key, event.timeStamp);
      const found = typeAheadIndex(typed, activeIndex, total, (index) => {
        const p = itemAt(index);
        return p ? [p.name, p.display_name] : undefined;
      });
      if (found !== null) activate(found);
    }
  };

  const activeRendered = activeIndex !== null && itemAt(activeIndex) !== undefined && items.some((i) => i.index === activeIndex);

  return (
    <div
      ref={listRef}
      role="listbox"
      aria-label="Providers"
      aria-activedescendant={activeRendered ? `${base}-row-${activeIndex}` : undefined}
      // Until the rows on screen have loaded there are no options to own yet.
      aria-busy={items.some((item) => itemAt(item.index) !== undefined) ? undefined : true}
      tabIndex={0}
      className="provider-scroller"
      onKeyDown={onKeyDown}
      onFocus={onFocus}
    >
      <div className="provider-list" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const provider = itemAt(item.index);
          return provider ? (
            <ProviderRow
              key={item.key}
              id={`${base}-row-${item.index}`}
              provider={provider}
              typeLabel={labelOf(provider.type)}
              selected={provider.id === selectedId || provider.name === selectedId}
              active={item.index === activeIndex}
              index={item.index}
              total={total}
              start={item.start}
              size={item.size}
              onOpen={onOpen}
            />
          ) : (
            <PlaceholderRow key={item.key} start={item.start} size={item.size} />
          );
        })}
      </div>
    </div>
  );
}
