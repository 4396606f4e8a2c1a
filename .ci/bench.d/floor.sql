-- The portal page's data (20 offerings of a sector in the current term with
-- course, pathway, sector, program, site and college credit) as one statement:
-- the floor no GraphQL server over this database can beat.
SELECT json_agg(page) FROM (
  SELECT o.id, o.section, o.schedule, o.meeting_days, o.start_time, o.end_time, o.modality,
         o.seats_available, o.status, o.tuition_cents, o.materials_fee_cents,
         json_build_object('id', c.id, 'code', c.code, 'title', c.title, 'level', c.level,
           'hours', c.hours, 'agArea', c.ag_area,
           'pathway', json_build_object('code', p.code, 'name', p.name,
             'sector', json_build_object('code', s.code, 'name', s.name)),
           'program', json_build_object('code', r.code, 'name', r.name, 'shortName', r.short_name),
           'articulations', (SELECT json_agg(json_build_object('kind', a.kind,
                 'collegeCourseCode', a.college_course_code, 'units', a.units, 'college', cl.name) ORDER BY a.id)
               FROM (SELECT * FROM articulation a WHERE a.course_id = c.id AND a.deleted_at IS NULL
                     ORDER BY a.id LIMIT 5) a JOIN college cl ON cl.id = a.college_id)) AS course,
         json_build_object('name', st.name, 'city', st.city, 'lat', st.lat, 'lng', st.lng) AS site
  FROM course_offering o
  JOIN term t ON t.id = o.term_id
  JOIN course c ON c.id = o.course_id
  JOIN pathway p ON p.id = c.pathway_id
  JOIN industry_sector s ON s.id = p.sector_id
  JOIN regional_program r ON r.id = c.program_id
  LEFT JOIN program_site st ON st.id = o.site_id
  WHERE s.code = 'HEALTH_SCIENCE_AND_MEDICAL_TECHNOLOGY' AND t.code = '2026-FALL'
    AND o.deleted_at IS NULL AND t.deleted_at IS NULL AND c.deleted_at IS NULL
  ORDER BY o.id
  LIMIT 21
) page;
