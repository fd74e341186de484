import type { MetaFunction } from "@remix-run/node";
import { Links, Meta, Scripts } from "@remix-run/react";

export const meta: MetaFunction = () => [
  { title: "Bench" },
  { name: "viewport", content: "width=device-width, initial-scale=1" },
];

export default function App() {
  return (
    <html lang="fr">
      <head>
        <meta charSet="utf-8" />
        <Meta />
        <Links />
      </head>
      <body>
        <main>
          <h1>Bonjour</h1>
          <p>Une page Remix minimale, rendue côté serveur.</p>
        </main>
        <Scripts />
      </body>
    </html>
  );
}
