interface Props {
  total: number;
  limit: number;
  offset: number;
  onChange: (offset: number) => void;
}

export function rangeLabel(total: number, limit: number, offset: number): string {
  if (total === 0) return "0 of 0";
  return `${offset + 1}–${Math.min(offset + limit, total)} of ${total}`;
}

export function Pagination({ total, limit, offset, onChange }: Props) {
  return (
    <nav className="pagination" aria-label="Pages">
      <span data-testid="pagination-range">{rangeLabel(total, limit, offset)}</span>
      <button type="button" className="btn btn-secondary btn-small" disabled={offset === 0} onClick={() => onChange(Math.max(0, offset - limit))} data-testid="page-prev">
        Previous
      </button>
      <button type="button" className="btn btn-secondary btn-small" disabled={offset + limit >= total} onClick={() => onChange(offset + limit)} data-testid="page-next">
        Next
      </button>
    </nav>
  );
}
