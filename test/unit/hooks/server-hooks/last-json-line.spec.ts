/** The benchmark hook's figures: the JSON object on the last non-empty output line. */
import { lastJsonLine } from '../../../../src/modules/hooks/server-hooks/server-hook.service';

describe('lastJsonLine', () => {
  it('takes the JSON object on the last non-empty line', () => {
    expect(lastJsonLine('progress\n{"score": 0.5}\n\n')).toEqual({ score: 0.5 });
    expect(lastJsonLine('{"score": 1}\nfinal words\n')).toBeUndefined();
  });

  it.each(['', '\n\n', '[1,2]', '3', 'null', '{broken'])('gives nothing for %j', (output) => {
    expect(lastJsonLine(output)).toBeUndefined();
  });
});
