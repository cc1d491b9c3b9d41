// Tailwind CSS 4 runs as a single PostCSS plugin; its config lives in app/globals.css.
export default {
  plugins: { "@tailwindcss/postcss": {} },
};
