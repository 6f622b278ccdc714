import { useEffect, useId, useRef, useState, type ReactNode } from "react";

export interface MenuOption<T> {
  value: T;
  label: string;
}

interface Props<T> {
  label: string;
  buttonContent: ReactNode;
  options: MenuOption<T>[];
  value: T;
  onSelect: (value: T) => void;
  testId: string;
}

/** A control-bar button opening a small single-choice menu (quality, captions, speed). */
export function MenuButton<T extends string | number>({ label, buttonContent, options, value, onSelect, testId }: Props<T>) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const menuId = useId();

  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent | KeyboardEvent) => {
      if (e instanceof KeyboardEvent ? e.key === "Escape" : !root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", close);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", close);
    };
  }, [open]);

  return (
    <div className="menu" ref={root}>
      <button
        type="button"
        className="ctrl ctrl-text"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={menuId}
        onClick={() => setOpen((o) => !o)}
        data-testid={testId}
      >
        {/* the name says what the button is and contains what it shows ("Playback speed: 1×"), so a
            speech user can say the visible text (WCAG 2.5.3, label in name) */}
        <span className="visually-hidden">{label}: </span>
        {buttonContent}
      </button>
      {open ? (
        <ul className="menu-list" role="menu" id={menuId} aria-label={label}>
          {options.map((option) => (
            <li key={String(option.value)} role="none">
              <button
                type="button"
                role="menuitemradio"
                aria-checked={option.value === value}
                className="menu-item"
                onClick={() => {
                  onSelect(option.value);
                  setOpen(false);
                }}
                data-testid={`${testId}-option`}
              >
                {option.label}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
