import { useEffect, useState } from 'react';

/**
 * Whether the element is within `rootMargin` of the viewport (IntersectionObserver). Takes the
 * element from a callback ref, so that a newly mounted element is observed afresh. Without
 * IntersectionObserver (old browsers, jsdom) it stays false and the page offers a button instead.
 */
export function useInView(element: Element | null, rootMargin = '300px'): boolean {
  const [inView, setInView] = useState(false);
  useEffect(() => {
    if (!element || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      (entries) => setInView(entries.some((entry) => entry.isIntersecting)),
      { rootMargin },
    );
    observer.observe(element);
    return () => {
      observer.disconnect();
      setInView(false);
    };
  }, [element, rootMargin]);
  return element ? inView : false;
}
