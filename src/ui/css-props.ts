// cssProps(): sets CSS custom properties on an element from a Lit template, for the few
// values the component styles cannot know in advance (a needle's angle, a bar's length).
// The page's Content-Security-Policy has no 'unsafe-inline' in style-src, which blocks
// style="..." attributes, Lit's style bindings and styleMap's first render (it writes the
// attribute); CSSOM writes (style.setProperty) are not inline styles and are allowed. The
// component's static styles read the properties with var().
import { noChange } from 'lit';
import { Directive, PartType, directive, type ElementPart, type PartInfo } from 'lit/directive.js';

/** Custom properties only: everything else belongs in the component's static styles. */
export type CssProps = Readonly<Record<`--${string}`, string>>;

class CssPropsDirective extends Directive {
  private names: string[] = [];

  constructor(info: PartInfo) {
    super(info);
    if (info.type !== PartType.ELEMENT) throw new Error('cssProps() belongs in an element position: <div ${cssProps({...})}>');
  }

  override render(_props: CssProps): typeof noChange {
    return noChange;
  }

  override update(part: ElementPart, [props]: [CssProps]): typeof noChange {
    const { style } = part.element as HTMLElement | SVGElement;
    for (const name of this.names) if (!(name in props)) style.removeProperty(name);
    for (const [name, value] of Object.entries(props)) style.setProperty(name, value);
    this.names = Object.keys(props);
    return noChange;
  }
}

export const cssProps = directive(CssPropsDirective);
