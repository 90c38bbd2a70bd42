import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allocateDataset, type Dataset } from '../../dist/data/dataset.js';
import { allRows } from '../../dist/data/folds.js';
import { ModelError } from '../../dist/errors.js';
import { linearRegression, type FittedLinear } from '../../dist/models/linear/linear.js';
import { linearShift, linearStats, mergeLinearStats, partitionedStats } from '../../dist/models/linear/stats.js';
import { solveLinear } from '../../dist/models/linear/solve.js';

/**
 * Reference coefficients (10 features, then the intercept) from scikit-learn 1.2.1 (Debian python3-sklearn),
 * fitted on all 442 rows, computed by this script (not needed at run time):
 *
 * import json, numpy as np, warnings
 * from sklearn.linear_model import ElasticNet, LinearRegression
 * from sklearn.preprocessing import StandardScaler
 * warnings.filterwarnings('ignore')
 * out = {}
 * for name in ['diabetes', 'diabetes-raw']:
 *     d = np.loadtxt(f'/work/shared/datasets/{name}.csv', delimiter=',', skiprows=1)
 *     X, y = d[:, :10], d[:, 10]
 *     delta = y.std()
 *     for std in [True, False]:
 *         for lam in [0, 0.01, 0.1, 1]:
 *             for a in [0, 0.5, 1]:
 *                 if lam == 0 and a != 0: continue
 *                 Xf = StandardScaler().fit(X) if std else None
 *                 Z = Xf.transform(X) if std else X
 *                 if lam == 0:
 *                     m = LinearRegression().fit(Z, y)
 *                 else:
 *                     m = ElasticNet(alpha=lam / delta, l1_ratio=a, tol=1e-14, max_iter=10**7).fit(Z, y)
 *                 coef = m.coef_ / Xf.scale_ if std else m.coef_
 *                 icpt = y.mean() - coef @ X.mean(axis=0)
 *                 out[f'{name}|{std}|{lam}|{a}'] = [float(v) for v in coef] + [float(icpt)]
 * print(json.dumps(out))
 */
const SKLEARN: Record<string, number[]> = {
  'diabetes|True|0|0': [-10.009866299810257, -239.81564367242285, 519.8459200544605, 324.38464550232396, -792.1756385522309, 476.7390210052575, 101.04326793803429, 177.06323767134734, 751.2736995571042, 67.62669218370506, 152.13348416289597],
  'diabetes|True|0.01|0': [-9.945248015562157, -239.71563301906798, 519.9259527757068, 324.30697603623594, -780.768160964702, 467.68728420336276, 96.00447757293219, 175.69149715157093, 746.9475885048975, 67.69504979172837, 152.13348416289597],
  'diabetes|True|0.01|0.5': [-9.974240929149609, -239.76259301020806, 519.8877028411027, 324.3426641317987, -786.2100737467565, 472.01072502690334, 98.40019082898678, 176.33338700406682, 749.0157338625978, 67.66055962982057, 152.13348416289597],
  'diabetes|True|0.01|1': [-10.003614481526848, -239.80998056684467, 519.8484932085029, 324.37872507684176, -791.734497513747, 476.39967765106024, 100.83275548018065, 176.98572256466582, 751.1146516077646, 67.62576281136866, 152.13348416289597],
  'diabetes|True|0.1|0': [-9.426093592604293, -238.88566535996333, 520.4892131070523, 323.6691762442606, -691.616375152015, 396.95159541369355, 56.69290809189648, 165.05884464368637, 713.0527242564433, 68.25997328113442, 152.133484162896],
  'diabetes|True|0.1|0.5': [-9.671083088497813, -239.30476772242136, 520.2198353182605, 323.98201487740357, -736.3029658945414, 432.45880291685, 76.30307161690497, 170.2453248862617, 730.1044378449418, 67.95130424194208, 152.13348416289597],
  'diabetes|True|0.1|1': [-9.94734811698413, -239.75901261666039, 519.8716515948447, 324.32544124752263, -787.7642281714924, 473.34558746649344, 98.93814336133171, 176.2880866050784, 749.6832200652207, 67.6173984603379, 152.13348416289597],
  'diabetes|True|1|0': [-6.704248915775361, -233.36976976748917, 519.954545191999, 319.6970290991768, -331.6849211980369, 111.86893603324718, -99.28706667991923, 125.55447385493294, 572.5424791473954, 71.89490060025018, 152.13348416289602],
  'diabetes|True|1|0.5': [-7.6567313937030645, -235.76623589015924, 521.1482342355105, 321.36999085424924, -454.27676113732036, 208.69172256329455, -46.78422731145403, 137.96140463627506, 621.7256258201181, 70.03946089477924, 152.133484162896],
  'diabetes|True|1|1': [-9.384684471557911, -239.2493331148159, 520.1032354582663, 323.79260295434045, -748.0615347490556, 442.80468562090425, 79.99202217289006, 169.31172700922176, 735.3689046398136, 67.53375495002695, 152.13348416289597],
  'diabetes|False|0|0': [-10.009866299810684, -239.81564367242237, 519.84592005446, 324.38464550232356, -792.1756385522286, 476.7390210052569, 101.04326793803338, 177.06323767134643, 751.2736995571034, 67.62669218370515, 152.13348416289597],
  'diabetes|False|0.01|0': [-2.0436547215400513, -219.09186038848844, 504.91976540172215, 309.9809942342884, -124.99973647837265, -45.98720977201006, -178.65121199136647, 113.72055781018759, 475.2387243384819, 80.45168869929721, 152.13348416289602],
  'diabetes|False|0.01|0.5': [-4.699450934549072, -227.85064981056607, 515.1804389717976, 315.93317118122525, -202.25987843554594, 10.80743828685289, -151.68501696859119, 115.53843433050281, 516.5512157180817, 75.27853773352902, 152.13348416289602],
  'diabetes|False|0.01|1': [-9.878429347348144, -239.6965836958279, 519.9000175201445, 324.26017568455393, -782.9011793427069, 469.6047355456929, 96.61749696399181, 175.433575879552, 747.9299079127233, 67.60715324924993, 152.13348416289597],
  'diabetes|False|0.1|0': [22.169966024196846, -121.86593868335227, 369.2988287535579, 237.03758117438628, -10.714774687427123, -53.07541106005101, -171.07915767391876, 121.63357714868087, 316.01225040882036, 112.01766216755779, 152.133484162896],
  'diabetes|False|0.1|0.5': [11.971775560903495, -164.7864125600054, 432.49098180332203, 271.23602678194914, -33.99999658059041, -74.0971995131147, -185.9419550620774, 120.88784065130562, 374.4866660360383, 103.25544803124087, 152.13348416289602],
  'diabetes|False|0.1|1': [-8.695496775200622, -238.62504390648914, 520.3868947112537, 323.1399473246499, -699.4310464609979, 405.3961664127506, 56.785558199393726, 160.76661975390948, 717.8357831147796, 67.43130283915255, 152.133484162896],
  'diabetes|False|1|0': [26.699318296770198, -6.830885866528549, 115.29164783638092, 82.63855206539871, 24.691910722743405, 14.656608614650805, -69.9632115771829, 68.03530289553832, 105.2306296305579, 63.3219604573851, 152.13348416289597],
  'diabetes|False|1|0.5': [32.31905231897308, -24.113899417529435, 181.66786297885673, 126.08530404226889, 24.436386773545824, 6.301667543495351, -102.62030413647953, 92.58013986017427, 161.21581601848624, 87.95203577849993, 152.13348416289597],
  'diabetes|False|1|1': [-0.0, -225.6169736695784, 526.8072917182558, 314.0713289366902, -193.4554742527732, 0.0, -153.76811890948358, 104.41848132040325, 529.6401163216977, 64.31289689274841, 152.13348416289602],
  'diabetes-raw|True|0|0': [-0.03636122422362527, -22.859648090498396, 5.602962091923706, 1.1168079933181922, -1.0899963340632401, 0.7464504555142267, 0.37200471508915023, 6.533831935990357, 68.48312496478829, 0.280116989321505, -334.5671385187875],
  'diabetes-raw|True|0.01|0': [-0.03612649581693237, -22.850114899486254, 5.60382469425963, 1.1165405889200484, -1.0743001826731857, 0.7322777682320876, 0.35345371400126335, 6.483213173351496, 68.08877387278487, 0.2804001338468296, -332.98849683144806],
  'diabetes-raw|True|0.01|0.5': [-0.03623181369486843, -22.85459120825912, 5.603412431842945, 1.1166634577157104, -1.0817879981183558, 0.7390471624516824, 0.3622738624853578, 6.506899628295638, 68.27729778500772, 0.28025727190424915, -333.7403060648737],
  'diabetes-raw|True|0.01|1': [-0.036338514253322324, -22.85910827333446, 5.602989825688664, 1.1167876101755403, -1.0893893447904714, 0.7459191312672998, 0.37122968446609395, 6.530971541669068, 68.46862678576734, 0.28011313976192015, -334.5034323726827],
  'diabetes-raw|True|0.1|0': [-0.034240647419789015, -22.771000925388204, 5.609895582107531, 1.11434473929186, -0.9516315281695572, 0.6215239075447953, 0.2087227536568054, 6.090856377864392, 64.99905274270598, 0.2827401073276915, -320.63466526327943],
  'diabetes-raw|True|0.1|0.5': [-0.03513058118197044, -22.810950498230845, 5.6069921957830235, 1.1154217960782795, -1.0131181704245615, 0.67711904460378, 0.2809202730327594, 6.282243312186617, 66.55341919164474, 0.28146156717256554, -326.81781347087986],
  'diabetes-raw|True|0.1|1': [-0.03613412452062157, -22.854249918861555, 5.603239429572765, 1.1166041618917777, -1.0839264413411764, 0.7411372130499909, 0.3642544088652666, 6.505227992796954, 68.33814317471551, 0.28007849372567833, -333.9300770582971],
  'diabetes-raw|True|1|0': [-0.02435344197014592, -22.24521607578881, 5.604132866770241, 1.1006692286075679, -0.4563828153436484, 0.17515792620354534, -0.3655390181533451, 4.633100816132946, 52.19069717228163, 0.2977963649176664, -269.9835836676857],
  'diabetes-raw|True|1|0.5': [-0.027813371196753454, -22.47365143298291, 5.616998591406919, 1.1064289866212196, -0.6250634079012468, 0.3267574595445237, -0.172242579904843, 5.0909304686935, 56.67403737406372, 0.29011093528354204, -287.5560743504077],
  'diabetes-raw|True|1|1': [-0.03409022719361894, -22.805666374132482, 5.605735468413872, 1.1147696790541237, -1.0292974068482845, 0.6933180308769273, 0.294501652857079, 6.247792504076424, 67.03330706419875, 0.2797320333632433, -328.19652391444436],
  'diabetes-raw|False|0|0': [-0.036361224223623534, -22.85964809049835, 5.602962091923702, 1.1168079933181856, -1.0899963340632226, 0.7464504555142089, 0.3720047150891379, 6.533831935990349, 68.48312496478827, 0.2801169893214972, -334.5671385187868],
  'diabetes-raw|False|0.01|0': [-0.03614007129779999, -22.845042757916236, 5.605267712230913, 1.116951271821589, -1.0791480063363879, 0.736451465372519, 0.35998921542834844, 6.516514136961307, 68.1546491218923, 0.28059341214665573, -333.42143418896796],
  'diabetes-raw|False|0.01|0.5': [-0.0362489383843152, -22.851992846037273, 5.6041338413395, 1.1168780167182135, -1.0844587213046282, 0.7413528330943386, 0.36585574600705684, 6.52465037786004, 68.31580058556112, 0.28035921999063207, -333.98224644922584],
  'diabetes-raw|False|0.01|1': [-0.036358447246928736, -22.858945847372684, 5.602994911348659, 1.1168041867224816, -1.0897948502734476, 0.7462777354641631, 0.3717505372590235, 6.5328203028129606, 68.4777303523076, 0.2801238181215279, -334.5457916367934],
  'diabetes-raw|False|0.1|0': [-0.03426174887937067, -22.71417033044439, 5.625132037405817, 1.118140804587269, -0.9859624858956988, 0.6505799253232066, 0.256799447953343, 6.366606247527666, 65.33457857133602, 0.28466956247844716, -323.5885130440432],
  'diabetes-raw|False|0.1|0.5': [-0.035267567326660754, -22.783248176393, 5.614448535943744, 1.1174822108550628, -1.0357805480012683, 0.6965483066195195, 0.31180632403712877, 6.443578473547212, 66.84539486665444, 0.28248408935707214, -328.8429890831436],
  'diabetes-raw|False|0.1|1': [-0.0363334544566518, -22.85262565924199, 5.6032902861732525, 1.1167699273611047, -1.087981496165569, 0.7447232550138178, 0.36946293678816006, 6.523715604217516, 68.42917883998736, 0.28018527732175297, -334.3536696988732],
  'diabetes-raw|False|1|0': [-0.022867516812735522, -21.46824801884617, 5.764204160365572, 1.1235560454794145, -0.3514256307770119, 0.06701118384821132, -0.4443526122078767, 5.27231248027403, 46.227510861594986, 0.31136597942055155, -257.19047031345303],
  'diabetes-raw|False|1|0.5': [-0.027777159299000466, -22.11151771105548, 5.699165482189756, 1.1214950107117623, -0.6422281143131063, 0.334690939572034, -0.12459001596173146, 5.764514736471733, 54.98717208261007, 0.2993351886317466, -287.47860504355697],
  'diabetes-raw|False|1|1': [-0.036083526553903233, -22.789423777934346, 5.606244034419167, 1.1164273337473245, -1.0698479550868285, 0.7291784505104003, 0.34658693207959307, 6.432668618263742, 67.94366371678653, 0.2807998693239778, -332.43245031967695],
};

function readCsv(path: string): Dataset {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  const header = lines[0].split(',');
  const rows = lines.slice(1).map((l) => l.split(',').map(Number));
  const d = allocateDataset(path, header.slice(0, -1), 'target', rows.length);
  rows.forEach((r, i) => {
    for (let j = 0; j < header.length - 1; j++) d.x[j * rows.length + i] = r[j];
    d.y[i] = r[header.length - 1];
  });
  return d;
}

const sets = {
  diabetes: readCsv('../shared/datasets/diabetes.csv'),
  'diabetes-raw': readCsv('../shared/datasets/diabetes-raw.csv'),
};

function fitAll(data: Dataset, params: Record<string, number | boolean>, partitions = 16) {
  return linearRegression.fit({ data, train: allRows(data.rows), seed: 0, partitions, cache: new Map() }, params) as FittedLinear;
}

describe('linear regression vs scikit-learn (1e-6 absolute)', () => {
  for (const [key, ref] of Object.entries(SKLEARN)) {
    const [name, std, lam, alpha] = key.split('|');
    it(`${name} standardization=${std} regParam=${lam} elasticNetParam=${alpha}`, () => {
      const m = fitAll(sets[name as keyof typeof sets], { regParam: Number(lam), elasticNetParam: Number(alpha), standardization: std === 'True' });
      const got = [...m.coefficients, m.intercept];
      for (let j = 0; j < ref.length; j++) {
        expect(Math.abs(got[j] - ref[j])).toBeLessThan(1e-6);
      }
    });
  }
});

describe('sufficient statistics', () => {
  const data = sets['diabetes-raw'];
  const rows = allRows(data.rows);
  const shift = linearShift(data);
  it('merged per-partition statistics equal the statistics of all rows', () => {
    const whole = linearStats(data, rows, shift);
    const merged = mergeLinearStats(linearStats(data, rows.subarray(0, 100), shift), linearStats(data, rows.subarray(100), shift));
    for (let i = 0; i < whole.data.length; i++) expect(merged.data[i]).toBeCloseTo(whole.data[i], 6);
  });
  it('results depend on the partition count only at rounding level', () => {
    const p = { regParam: 0.1, elasticNetParam: 0.5, standardization: true };
    const a = fitAll(data, p, 1);
    const b = fitAll(data, p, 16);
    for (let j = 0; j < 10; j++) expect(Math.abs(a.coefficients[j] - b.coefficients[j])).toBeLessThan(1e-9 * Math.max(1, Math.abs(a.coefficients[j])));
  });
  it('the same partition count gives bit-identical statistics however they are computed', () => {
    const train = rows.filter((i) => i % 3 !== 0);
    const s1 = partitionedStats(data, train, 7, shift);
    const s2 = partitionedStats(data, train, 7, shift);
    expect(s1.data).toEqual(s2.data);
    const sol1 = solveLinear(s1, shift, { regParam: 1, elasticNetParam: 1, standardization: false });
    const sol2 = solveLinear(s2, shift, { regParam: 1, elasticNetParam: 1, standardization: false });
    expect(sol1.coefficients).toEqual(sol2.coefficients);
  });
});

describe('edge cases', () => {
  function tiny(cols: number[][], y: number[]): Dataset {
    const d = allocateDataset('tiny', cols.map((_, j) => `f${j + 1}`), 'y', y.length);
    cols.forEach((c, j) => d.x.set(c, j * y.length));
    d.y.set(y);
    return d;
  }
  it('recovers an exact linear relation', () => {
    const m = fitAll(tiny([[1, 2, 3, 4, 5], [2, 1, 4, 3, 6]], [5, 4, 11, 10, 17]), { regParam: 0, elasticNetParam: 0, standardization: true }, 2);
    expect(m.coefficients[0]).toBeCloseTo(1, 10);
    expect(m.coefficients[1]).toBeCloseTo(2, 10);
    expect(m.intercept).toBeCloseTo(0, 10);
  });
  it('a duplicated column makes least squares fail with a clear ModelError', () => {
    const d = tiny([[1, 2, 3, 4], [2, 4, 6, 8]], [1, 3, 2, 5]);
    const fit = () => fitAll(d, { regParam: 0, elasticNetParam: 0, standardization: true });
    expect(fit).toThrow(ModelError);
    expect(fit).toThrow(/singular design matrix: feature f2 is a linear combination/);
    // with a penalty the same data fits
    expect(() => fitAll(d, { regParam: 0.1, elasticNetParam: 0, standardization: true })).not.toThrow();
  });
  it('a constant feature gets coefficient 0', () => {
    const m = fitAll(tiny([[1, 2, 3, 4], [7, 7, 7, 7]], [2, 4, 6, 8]), { regParam: 0, elasticNetParam: 0, standardization: true });
    expect(m.coefficients[0]).toBeCloseTo(2, 10);
    expect(m.coefficients[1]).toBe(0);
  });
  it('a constant label gives zero coefficients and the label as intercept', () => {
    const m = fitAll(tiny([[1, 2, 3, 4]], [3, 3, 3, 3]), { regParam: 0.5, elasticNetParam: 0.5, standardization: true });
    expect(m.coefficients[0]).toBe(0);
    expect(m.intercept).toBe(3);
  });
  it('toJSON and load round-trip to identical predictions', () => {
    const data = sets.diabetes;
    const m = fitAll(data, { regParam: 0.1, elasticNetParam: 0.5, standardization: true });
    const json = JSON.parse(JSON.stringify(m.toJSON()));
    expect(Object.keys(json).sort()).toEqual(['coefficients', 'features', 'intercept', 'model', 'params']);
    const back = linearRegression.load(json);
    expect(back.predict(data, allRows(data.rows))).toEqual(m.predict(data, allRows(data.rows)));
  });
});
