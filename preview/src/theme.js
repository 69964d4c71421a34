// Light or dark: the page follows the system's preference until the toggle is pressed; a choice that differs
// from the system's is remembered (localStorage) and wins, one equal to it is forgotten (the system leads again).
// The CSS does the colours (color-scheme and light-dark()); this only sets <html data-theme>.

const KEY = 'rec-preview-theme';

export function setupTheme(button) {
  const system = matchMedia('(prefers-color-scheme: dark)');
  let choice = null;
  try {
    choice = localStorage.getItem(KEY);
  } catch {
    // storage disabled: the choice lasts as long as the page
  }
  const apply = () => {
    const root = document.documentElement;
    if (choice) root.dataset.theme = choice;
    else delete root.dataset.theme;
    button.setAttribute('aria-pressed', String(choice ? choice === 'dark' : system.matches));
  };
  button.addEventListener('click', () => {
    const dark = button.getAttribute('aria-pressed') !== 'true';
    choice = dark === system.matches ? null : dark ? 'dark' : 'light';
    try {
      if (choice) localStorage.setItem(KEY, choice);
      else localStorage.removeItem(KEY);
    } catch {
      // as above
    }
    apply();
  });
  system.addEventListener('change', apply);
  apply();
}
