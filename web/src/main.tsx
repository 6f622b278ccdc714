import { StrictMode, Suspense, lazy } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter, Route, Routes } from "react-router-dom";
import { NotFoundPage, PageLoading } from "./shared/Status";
import "./styles.css";

// Each area is its own chunk: the admin console never downloads the player,
// and hls.js is only loaded by the player itself.
const AdminApp = lazy(() => import("./admin/AdminApp"));
const AccountApp = lazy(() => import("./account/AccountApp"));
const EventLandingPage = lazy(() => import("./viewer/EventLandingPage"));
const EmbedPage = lazy(() => import("./viewer/EmbedPage"));
const HomePage = lazy(() => import("./site/HomePage"));
const AboutPage = lazy(() => import("./site/AboutPage"));

function App() {
  return (
    <BrowserRouter>
      <Suspense fallback={<PageLoading />}>
        <Routes>
          <Route path="/admin/*" element={<AdminApp />} />
          <Route path="/account/*" element={<AccountApp />} />
          <Route path="/e/:eventId" element={<EventLandingPage />} />
          <Route path="/embed/:eventId" element={<EmbedPage />} />
          <Route path="/" element={<HomePage />} />
          <Route path="/about" element={<AboutPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </Suspense>
    </BrowserRouter>
  );
}

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
