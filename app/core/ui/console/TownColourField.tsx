// A town colour: a text field taking #rrggbb (works without scripts, without a colour picker,
// by keyboard) and the browser's colour picker beside it, kept in step once scripts run.
// The server reads both (town-settings.server.ts: the one changed from `shown` wins) and
// decides; a refusal lists each unreadable pairing with its contrast ratio.
import { useRef } from "react";
import { useTranslation } from "react-i18next";
import { fieldId } from "../form";

const HEX = /^#?([0-9a-f]{6})$/i;

export type ContrastProblem = { pair: string; ratio: string };

export function TownColourField(props: {
  name: "primary" | "accent";
  legend: string;
  hint: string;
  /** What the text field shows: the saved colour, or what was typed. */
  value: string;
  /** A valid colour for the picker (the saved one when what was typed is not). */
  shown: string;
  error?: string;
  problems?: ContrastProblem[];
  minimum: string;
}) {
  const { t } = useTranslation("console-town");
  const text = useRef<HTMLInputElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const id = fieldId(props.name);
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hintId, props.error ? errorId : null].filter(Boolean).join(" ");
  return (
    <fieldset className="town-colour">
      <legend>{props.legend}</legend>
      <p className="hint" id={hintId}>
        {props.hint}
      </p>
      {props.error ? (
        <div className="field-error" id={errorId}>
          <p>
            <span className="visually-hidden">{t("common:form.errorPrefix")} </span>
            {t(props.error)}
          </p>
          {props.problems?.length ? (
            <ul>
              {props.problems.map((p) => (
                <li key={p.pair}>{t(`theme.pairs.${p.pair}`, { ratio: p.ratio, minimum: props.minimum })}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <div className="town-colour__inputs">
        <div className="field">
          <label htmlFor={id}>{t("theme.code")}</label>
          <input
            ref={text}
            id={id}
            name={props.name}
            type="text"
            defaultValue={props.value}
            autoComplete="off"
            spellCheck={false}
            inputMode="text"
            maxLength={7}
            aria-describedby={describedBy}
            aria-invalid={props.error ? true : undefined}
            aria-required
            onInput={(e) => {
              const match = HEX.exec(e.currentTarget.value.trim());
              if (match && picker.current) picker.current.value = `#${match[1].toLowerCase()}`;
            }}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}Picker`}>{t("theme.picker")}</label>
          <input
            ref={picker}
            id={`${id}Picker`}
            name={`${props.name}Picker`}
            type="color"
            defaultValue={props.shown}
            aria-describedby={hintId}
            onInput={(e) => {
              if (text.current) text.current.value = e.currentTarget.value;
            }}
          />
        </div>
      </div>
      <input type="hidden" name={`${props.name}Shown`} value={props.shown} />
    </fieldset>
  );
}
