/** Placeholder for admin management (owners only) until the API for it exists. */
export default function AdminsPage() {
  return (
    <section className="page">
      <header className="page-header">
        <h1>Admins</h1>
      </header>
      <div className="card empty-state">
        <p>Managing admins from the console is coming soon.</p>
        <p className="muted">
          For now, create admins on the server with <code>golive admin create</code>.
        </p>
      </div>
    </section>
  );
}
