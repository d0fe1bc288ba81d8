/**
 * Every checkable rule of the five source documents as data, each with its ID and the source's own words,
 * so any feature can say *why* (「依据:…」); `npm run docs:policy` lists them in docs/POLICY.md. Quotes are verbatim from the sources
 * (fragments joined by 「…」); titles are our Chinese summaries.
 * LQ = 听课评课, DR = 控辍保学, RD = 周期性任务与截止, QA = 质量目标与奖励, NB = 通报.
 */
import { DOCS, type SourceId } from './sources.js';

export type RuleFamily = 'LQ' | 'DR' | 'RD' | 'QA' | 'NB';

export interface Citation {
  source: SourceId;
  doc: string;
  section: string;
  quote: string;
}

export interface PolicyRule {
  id: string;
  family: RuleFamily;
  title: string;
  citation: Citation;
  /** Further sources saying the same (e.g. LQ-13 in both 000 and 004). */
  alsoCited?: Citation[];
  /**
   * RD only: how often the obligation recurs, in Chinese, as the policy says it. The
   * policies give no dates: the due dates are Duxue's own defaults, in
   * ./deadlines.ts (OBLIGATIONS), and every generated deadline's card says so.
   */
  cadence?: string;
}

const SY = (section: string, quote: string): Citation => ({ source: '003', doc: DOCS.shenyang, section, quote });
const JH = (section: string, quote: string): Citation => ({ source: '000', doc: DOCS.jinghong, section, quote });
const HR = (section: string, quote: string): Citation => ({ source: '004', doc: DOCS.huairen, section, quote });
const RW = (section: string, quote: string): Citation => ({ source: '001', doc: DOCS.rewardScheme, section, quote });
const DP = (section: string, quote: string): Citation => ({ source: '001', doc: DOCS.districtPlan, section, quote });
const WZ = (section: string, quote: string): Citation => ({ source: '002', doc: DOCS.wenzhou, section, quote });
const XX = (section: string, quote: string): Citation => ({ source: '002', doc: DOCS.xiangxi, section, quote });

const LQ_SECTION = '二(一)3';

const LQ: PolicyRule[] = [
  { id: 'LQ-1', title: '书记每周听课不少于1节', citation: SY(LQ_SECTION, '每周听课书记不少于1节') },
  { id: 'LQ-2', title: '校长每周听课不少于2节', citation: SY(LQ_SECTION, '校长不少于2节') },
  { id: 'LQ-3', title: '分管教学副校长每周听课不少于4节', citation: SY(LQ_SECTION, '分管教学的副校长不少于4节') },
  { id: 'LQ-4', title: '教务主任每周听课不少于5节', citation: SY(LQ_SECTION, '教务主任不少于5节') },
  { id: 'LQ-5', title: '专任教师每周听课不少于1节', citation: SY(LQ_SECTION, '每周听课专任教师不少于1节') },
  { id: 'LQ-6', title: '教龄不满三年的教师每周听课不少于3节', citation: SY(LQ_SECTION, '教龄不满三年的教师不少于3节') },
  { id: 'LQ-7', title: '听课后与授课教师交换意见、进行教学指导(评课)', citation: SY(LQ_SECTION, '并和授课教师交换意见,进行教学指导') },
  { id: 'LQ-8', title: '听课、评课均须记录', citation: SY(LQ_SECTION, '听课、评课均要有记录') },
  { id: 'LQ-9', title: '学校考核教师听评课的数量和质量', citation: SY(LQ_SECTION, '学校要对教师听评课数量和质量进行考核') },
  {
    id: 'LQ-10',
    title: '县域教育行政部门对学校领导听课情况进行过程管理',
    citation: SY(LQ_SECTION, '县域教育行政部门要对学校领导听课情况进行过程管理'),
  },
  { id: 'LQ-11', title: '落实听课评课制度纳入中层干部考核', citation: SY('二(三)2', '将落实听课与评课制度纳入考核内容') },
  {
    id: 'LQ-12',
    title: '以推门听课、现场会诊、结对帮扶、示范引领抓常态课',
    citation: JH('二(三)15', '采用推门听课、现场会诊、结对帮扶、示范引领等办法,持之以恒地对教师“常态课”教学开展巡查和质量评估'),
  },
  {
    id: 'LQ-13',
    title: '校长深入课堂听课,联系班级、挂帮学生',
    citation: JH('二(三)12', '建立校长联系班级、挂帮学生的制度,深入课堂、走近师生'),
    alsoCited: [HR('二(二)', '要经常深入课堂听课、参与教研、指导教学')],
  },
].map((r) => ({ ...r, family: 'LQ' as const }));

const DR: PolicyRule[] = [
  { id: 'DR-1', title: '义务教育辍学率控制在0、巩固率100%', citation: HR('二(五)', '将辍学率控制在0…实现义务教育阶段学生巩固率100%目标') },
  {
    id: 'DR-2',
    title: '市、乡、校三级联控:乡镇全面排查,学校负责劝返和安置',
    citation: HR('二(五)', '完善控辍保学工作市、乡、校三级联控机制…学校负责劝返和安置就读'),
  },
  {
    id: 'DR-3',
    title: '“三帮一”:一名教师、一名村干部、一名家长或监护人帮扶一名辍学学生',
    citation: XX('二(十)', '明确一名教师、一名村干部、一名家长或监护人帮扶一名辍学学生'),
  },
  {
    id: 'DR-4',
    title: '“五长”责任制:县市长、乡镇长、村组长、家长、校长',
    citation: XX('二(十)', '全面落实“五长”(县市长、乡镇长、村组长、家长、校长)责任制'),
  },
  {
    id: 'DR-5',
    title: '重度残疾儿童送教入户,一人一案',
    citation: HR('二(五)', '采取“送教入户”形式,确保学龄残疾儿童“一人一案”,学生就学实行“一人一策”'),
  },
  {
    id: 'DR-6',
    title: '建档立卡贫困家庭子女精准帮扶,不因贫失学',
    citation: HR('二(五)', '对所有建档立卡贫困家庭的适龄儿童,了解实际情况,有针对性地帮助解决实际困难'),
    alsoCited: [XX('二(一)', '完善学前至高等教育阶段贫困学生资助全覆盖体系')],
  },
  { id: 'DR-7', title: '控辍保学督导机制和考核问责机制', citation: XX('二(十)', '完善控辍保学督导机制和考核问责机制') },
].map((r) => ({ ...r, family: 'DR' as const }));

const RD: PolicyRule[] = [
  { id: 'RD-1', title: '任课教师对每个学生进行学业述评', cadence: '每学期', citation: SY('二(三)3', '任课教师每学期须对每个学生进行学业述评') },
  {
    id: 'RD-2',
    title: '综合素质评价:写实记录、整理遴选、公示审核、形成档案',
    cadence: '每年',
    citation: SY('二(一)4', '各学校要严格写实记录、整理遴选、公示审核、形成档案等评价程序'),
  },
  {
    id: 'RD-3',
    title: '100%编制综合素质发展报告,100%完成体质健康与艺术测评',
    cadence: '每年',
    citation: HR('二(九)', '为全市中小学生100%编制《中小学综合素质发展报告》…100%完成体质健康测评和艺术素质测评'),
  },
  { id: 'RD-4', title: '向同级党委、政府通报教学质量', cadence: '定期', citation: JH('三(五)', '定期向同级党委、政府通报辖区内中小学教学质量状况') },
  {
    id: 'RD-5',
    title: '每次考试后开展质量分析,教研员做学科质量分析报告',
    cadence: '每次考试后',
    citation: DP('(三)', '学校在每次教学质量检测之后要组织教师、教研组、级部等不同层面的质量分析…教研员做学科质量分析报告'),
  },
  {
    id: 'RD-6',
    title: '骨干教师开放一次课堂、上交一份案例和教学感悟',
    cadence: '每学期',
    citation: DP('(四)', '要求骨干教师每学期必需开放一次课堂、上交一份优秀案例和教学感悟'),
  },
  { id: 'RD-7', title: '乡镇领导研究教育问题', cadence: '每年不少于2次', citation: JH('二(一)4', '研究教育问题(每年不少于二次)') },
  { id: 'RD-8', title: '校际教学互访等研修活动', cadence: '每学年6—7次', citation: SY('二(一)5', '依托每学年6-7次的教学互访') },
  { id: 'RD-9', title: '召开教育教学质量提升联席会议', cadence: '每学期', citation: WZ('四(一)', '每学期召开“教育教学质量提升”联席会议') },
  {
    id: 'RD-10',
    title: '教师交流轮岗不低于15%,其中骨干教师不低于20%',
    cadence: '每学年',
    citation: SY('二(三)3', '每学年教师交流轮岗比例不低于符合交流条件教师总数的15%,其中骨干教师交流比例不低于交流总数的20%'),
  },
  {
    id: 'RD-11',
    title: '定期开展防火、防震、防踩踏、防溺水等安全演练',
    cadence: '定期',
    citation: HR('二(十)', '要定期组织师生开展防火、防震、防踩踏、防溺水、防疫等多种形式的安全演练'),
  },
  { id: 'RD-12', title: '教师家访,家校联系纳入考核', cadence: '经常', citation: SY('二(三)3', '落实中小学教师家访制度,将家校联系情况纳入教师考核') },
].map((r) => ({ ...r, family: 'RD' as const }));

const QA: PolicyRule[] = [
  { id: 'QA-1', title: '“双高普九”:单科合格率≥90%,全科合格率≥85%', citation: DP('(三)', '初中在校生单科合格率要到达90%以上,全科合格率要到达85%以上') },
  { id: 'QA-2', title: '校长考核排名后三位:一次黄牌警告,两次红牌摘帽', citation: HR('二(十一)', '排名后三位一次黄牌警告,两次红牌摘帽') },
  {
    id: 'QA-3',
    title: '非毕业班位次奖:20/30/50元每位次,全县前三名300/200/100元',
    citation: RW(
      '一',
      '倒数第4名至倒数第9名每个位次嘉奖20元;倒数第10名至倒数第14名每个位次嘉奖30元;倒数第15名至顺数第1名每个位次嘉奖50元…评比前三名发特殊嘉奖300元、200元、100元',
    ),
  },
  {
    id: 'QA-4',
    title: '毕业班位次奖:50/100/150元每位次,前三名每位次500元;倒数一、二名不奖',
    citation: RW(
      '二',
      '位居全县倒数第4名至倒数第9名每个位次嘉奖50元,位居全县倒数第10名至倒数第14名每个位次嘉奖100元,位居全县倒数第15名至顺数第1名每个位次嘉奖150元,位居全县前三名发特殊奖每位次嘉奖500元…单科成绩位居全县倒数一、二名的代课教师不享受嘉奖',
    ),
  },
  {
    id: 'QA-5',
    title: '非教学人员优/良/中/差分别得全额、2/3、1/3、不予奖励',
    citation: RW('四', '“中”按总奖额1/3予以嘉奖,“良”按总奖额的2/3予以嘉奖,“优”按总奖额全部予以嘉奖'),
  },
  { id: 'QA-6', title: '大班额(56人以上)≤10%,超大班额(66人以上)≤5%', citation: XX('二(八)', '超大班额比例控制在5%以内…大班额比例控制在10%以内') },
  { id: 'QA-7', title: '骨干教师比例达到50%以上', citation: DP('(一)', '使骨干教师的比例到达50%以上') },
  {
    id: 'QA-8',
    title: '教师培训五年不少于360学分,其中集中培训90学分',
    citation: WZ('三(五)1', '五年周期内教师培训人均不低于360学分,其中90学分集中培训分层匹配率不低于75%'),
  },
  {
    id: 'QA-9',
    title: '五至八年级及高一、高二统一质量监测,建立质量数据库',
    citation: JH('二(二)7', '实行同进度、同试卷、同考试、同阅卷、同分析管理,建立教学质量数据库'),
  },
].map((r) => ({ ...r, family: 'QA' as const }));

const NB: PolicyRule[] = [
  {
    id: 'NB-1',
    title: '教学质量向党委政府通报,并以适当方式向社会通报',
    citation: JH('三(五)', '定期向同级党委、政府通报辖区内中小学教学质量状况。同时,以适当的方式向社会通报'),
  },
  {
    id: 'NB-2',
    title: '督导检查结果用于评价学校,宣传推广好经验好做法',
    citation: SY('三(二)(三)', '将检查结果作为评价学校教育教学质量的重要依据…及时总结好经验好做法'),
  },
  {
    id: 'NB-3',
    title: '检查备、讲、批、辅、考、思、研7个教学常规环节',
    citation: JH('二(三)14', '针对教学常规要求的“备、讲、批、辅、考、思、研”7个环节的考核评价制定具有科学性和可操作性的考核量表'),
  },
].map((r) => ({ ...r, family: 'NB' as const }));

export const RULES: readonly PolicyRule[] = [...LQ, ...DR, ...RD, ...QA, ...NB];

const BY_ID = new Map(RULES.map((r) => [r.id, r]));

/** The rule with this ID; throws for an unknown ID because IDs are written in code. */
export function ruleById(id: string): PolicyRule {
  const rule = BY_ID.get(id);
  if (!rule) throw new Error(`unknown policy rule id: ${id}`);
  return rule;
}

export function rulesOf(family: RuleFamily): PolicyRule[] {
  return RULES.filter((r) => r.family === family);
}

/** `沈阳市教育局《…》(2024-11-02)二(一)3「教务主任不少于5节」` — the text after 「依据:」. */
export function formatCitation(c: Citation): string {
  return `${c.doc}${c.section}「${c.quote}」`;
}
