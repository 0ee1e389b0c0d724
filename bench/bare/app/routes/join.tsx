import { Form, useLoaderData } from "react-router";

/** The baseline: a server-rendered page with a small form and a loader, and nothing else. */
export function loader() {
  return { storeName: "FashionHub", fields: ["firstName", "lastName", "email", "phone"] };
}

export default function Join() {
  const { storeName, fields } = useLoaderData<typeof loader>();
  return (
    <main>
      <title>{`Rejoindre ${storeName}`}</title>
      <h1>{storeName}</h1>
      <Form method="post">
        {fields.map((name) => (
          <p key={name}>
            <label htmlFor={name}>{name}</label>
            <input id={name} name={name} type="text" />
          </p>
        ))}
        <button type="submit">Rejoindre</button>
      </Form>
    </main>
  );
}
