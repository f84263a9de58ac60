import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach, vi } from 'vitest';
import '@/i18n';

// findBy*/waitFor: antd renders slowly in jsdom when the machine is busy.
configure({ asyncUtilTimeout: 10_000 });

const browserLike = typeof window !== 'undefined';

if (browserLike) {
  // antd and echarts probe these; jsdom lacks them.
  Object.defineProperty(window, 'matchMedia', {
    writable: true,
    value: (query: string) => ({
      matches: false,
      media: query,
      onchange: null,
      addListener: vi.fn(),
      removeListener: vi.fn(),
      addEventListener: vi.fn(),
      removeEventListener: vi.fn(),
      dispatchEvent: vi.fn(),
    }),
  });
  class ResizeObserverStub {
    observe() {}
    unobserve() {}
    disconnect() {}
  }
  globalThis.ResizeObserver ??= ResizeObserverStub as unknown as typeof ResizeObserver;
  // jsdom cannot compute pseudo-element styles (antd asks for scrollbar sizes); ignore the pseudo.
  const computeStyle = window.getComputedStyle.bind(window);
  window.getComputedStyle = (elt: Element) => computeStyle(elt);
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  if (!browserLike) return;
  cleanup();
  localStorage.clear();
  document.cookie.split(';').forEach((c) => {
    const name = c.split('=')[0].trim();
    if (name) document.cookie = `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`;
  });
});
