import { describe, expect, it } from "vitest";
import { renderMarkdownPreview } from "./markdown";

describe("markdown preview", () => {
  it("renders paragraphs, bold, italic and links", () => {
    expect(renderMarkdownPreview("Hello **world**\nand *you*\n\nSee [docs](https://example.com)")).toBe(
      '<p>Hello <strong>world</strong><br>and <em>you</em></p>\n<p>See <a href="https://example.com" rel="noopener noreferrer" target="_blank">docs</a></p>',
    );
  });

  it("escapes HTML and refuses script links", () => {
    const html = renderMarkdownPreview('<img src=x onerror=alert(1)> [x](javascript:alert(1))');
    expect(html).not.toContain("<img");
    expect(html).not.toContain('href="javascript');
    expect(html).toContain("&lt;img");
  });
});
