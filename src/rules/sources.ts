/**
 * The five source documents that every rule cites (listed in docs/POLICY.md).
 *
 * Source 000's scraped copy shows a spam string in place of its issuer; the real issuer
 * is 景洪市人民政府办公室 (景政办发〔2018〕107号). Only the real name appears here and in
 * any reply.
 */
export type SourceId = '000' | '001' | '002' | '003' | '004';

export interface SourceDoc {
  id: SourceId;
  /** The file name of our copy of the document (the copies are not in the repository). */
  file: string;
  issuer: string;
  /** One line naming the document(s), as shown after 「依据:」 in replies. */
  doc: string;
}

export const SOURCES: Record<SourceId, SourceDoc> = {
  '000': {
    id: '000',
    file: '000_4e921aa28fd81bf5.txt',
    issuer: '景洪市人民政府办公室',
    doc: '景洪市人民政府办公室《景洪市关于建立健全中小学教学质量管理制度着力提高教学质量的贯彻落实意见》(景政办发〔2018〕107号,2018-07-10)',
  },
  '001': {
    id: '001',
    file: '001_7afd498f66bf07b9.txt',
    issuer: '学校/学区(威海环翠区)',
    doc: '《提高教学质量管理办法》(学校教学质量奖励办法)及《关于深化学区建设提高教学质量的实施方案》',
  },
  '002': {
    id: '002',
    file: '002_28ccd3fc7e13c10d.txt',
    issuer: '温州市、湘西州',
    doc: '温州市及湘西州《教育(教学)质量提升三年行动计划》',
  },
  '003': {
    id: '003',
    file: '003_7a306b44256534bd.txt',
    issuer: '沈阳市教育局',
    doc: '沈阳市教育局《关于进一步提高沈阳市县域中小学校教育教学质量的若干措施》(2024-11-02)',
  },
  '004': {
    id: '004',
    file: '004_b85abd5b39723b0c.txt',
    issuer: '怀仁市人民政府办公室',
    doc: '怀仁市人民政府办公室《落实国家政策推动义务教育优质均衡发展实施意见》(怀政办发〔2022〕64号,2022-08-25)',
  },
};

/**
 * Document names for citations. 001 and 002 each hold two documents, so rules from them
 * name the one they come from. 001's copy is a reworded scrape (e.g. 「建立」 for 「建设」,
 * 「嘉奖」 for 「奖励」): quotes keep the seed's words so they can be found in the file.
 */
export const DOCS = {
  jinghong: SOURCES['000'].doc,
  rewardScheme: '某校《提高教学质量管理办法》(教学质量奖励办法)',
  districtPlan: '《关于深化学区建设提高教学质量的实施方案》(威海环翠区实验中学学区)',
  wenzhou: '温州市《中小学教育教学质量提升三年行动计划》',
  xiangxi: '湘西州《教育质量提升三年行动计划》',
  shenyang: SOURCES['003'].doc,
  huairen: SOURCES['004'].doc,
} as const;
